import { CUE_TEXT_EN, type Cue } from '../../pacing/index.ts';
import { fill } from '../shared/i18n.ts';
import type { PacingStrings } from './strings/index.ts';

/** The cue's wording in the strip's language (English from the engine when a key has no translation). */
export function cueText(cue: Cue, strings: PacingStrings, locale = 'en'): string {
  const t = strings.cues[cue.key] ?? CUE_TEXT_EN[cue.key];
  return fill(t, { minutes: cue.minutesLeft === null ? '' : cue.minutesLeft.toLocaleString(locale) });
}

/** 0..1 share as a whole percent pair that adds up to 100. */
export function sharePercents(share: number): { t: number; c: number } {
  const t = Math.round(Math.min(1, Math.max(0, share)) * 100);
  return { t, c: 100 - t };
}

/** The same pair formatted as the locale writes percents ("63%", "63 %", "٦٣٪"). */
export function sharePercentText(share: number, locale: string): { t: string; c: string } {
  const { t, c } = sharePercents(share);
  const f = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  return { t: f.format(t / 100), c: f.format(c / 100) };
}

/** m:ss, or h:mm:ss from an hour. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** "32 s", "1 min 40 s", "12 min": a duration for people, in seconds, with the locale's units and digits. */
export function duration(seconds: number, locale: string): string {
  const s = Math.round(seconds);
  const unit = (n: number, u: 'second' | 'minute') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(n);
  if (s < 60) return unit(s, 'second');
  const m = Math.floor(s / 60);
  const r = s % 60;
  return r && m < 10 ? `${unit(m, 'minute')} ${unit(r, 'second')}` : unit(Math.round(s / 60), 'minute');
}
