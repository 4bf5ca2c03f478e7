import * as v from 'valibot';
import {
  DEFAULT_CUE_SETTINGS,
  DEFAULT_INSTRUMENT,
  instrumentMaxTotal,
  PlatformSettings,
  type AskSetting,
  type CueSettings,
  type Instrument,
} from '../../schemas/index.ts';

/** Parses the stored JSON; a corrupt value is a bug in whoever wrote it, so it throws. */
export function parsePlatformSettings(json: string): PlatformSettings {
  return v.parse(PlatformSettings, JSON.parse(json));
}

export function askSettingFor(settings: PlatformSettings): AskSetting {
  return settings.ask ?? { mode: 'every' };
}

export const DEFAULT_TREND_DAYS = 90;
export const DEFAULT_TREND_POINTS = 24;

export function trendSettingsFor(settings: PlatformSettings): { days: number; points: number } {
  return { days: settings.trend?.days ?? DEFAULT_TREND_DAYS, points: settings.trend?.points ?? DEFAULT_TREND_POINTS };
}

export function cueSettingsFor(settings: PlatformSettings): CueSettings {
  return { ...DEFAULT_CUE_SETTINGS, ...settings.cues };
}

/**
 * The instrument a token asks for (`ins`), with the platform's flag rules applied over the instrument's.
 * Returns null when the platform has no such instrument.
 */
export function instrumentFor(settings: PlatformSettings, id: string | undefined): Instrument | null {
  const wanted = id ?? DEFAULT_INSTRUMENT.id;
  const found =
    settings.instruments?.find((i) => i.id === wanted) ??
    (wanted === DEFAULT_INSTRUMENT.id ? DEFAULT_INSTRUMENT : null);
  return found && withPlatformFlags(settings, found);
}

/** The instrument with the platform's flag rules (`flags`) applied over its own: the rules its ratings are flagged by. */
export function withPlatformFlags(settings: PlatformSettings, instrument: Instrument): Instrument {
  return { ...instrument, flags: { ...instrument.flags, ...settings.flags } };
}

/**
 * Flag rules that would flag every rating on one of the platform's instruments: a `totalBelow` over its highest total
 * or an `itemBelow` over its highest item score, once the platform's `flags` (points on every instrument at once)
 * are applied over the instrument's own. One line each, naming the instrument; empty when there is none.
 */
export function flagsOutOfScale(settings: PlatformSettings): string[] {
  const out: string[] = [];
  for (const instrument of instrumentsOf(settings)) {
    const { flags } = withPlatformFlags(settings, instrument);
    const name = `${instrument.id} (version ${instrument.version})`;
    const maxTotal = instrumentMaxTotal(instrument);
    if (flags.totalBelow !== null && flags.totalBelow > maxTotal)
      out.push(`${name}: totalBelow ${flags.totalBelow} is over its highest total, ${maxTotal}`);
    if (flags.itemBelow !== null && flags.itemBelow > instrument.max)
      out.push(`${name}: itemBelow ${flags.itemBelow} is over its highest item score, ${instrument.max}`);
  }
  return out;
}

/**
 * Every instrument the platform's ratings can have used: its registered instruments (each version it keeps) and the
 * built-in one, unless a registered instrument has the same id and version.
 */
export function instrumentsOf(settings: PlatformSettings): Instrument[] {
  const registered = settings.instruments ?? [];
  const shadowed = registered.some((i) => i.id === DEFAULT_INSTRUMENT.id && i.version === DEFAULT_INSTRUMENT.version);
  return shadowed ? registered : [...registered, DEFAULT_INSTRUMENT];
}

/**
 * The exact instrument version a stored rating used (flag rules as registered), or null when the platform no longer
 * keeps that version: a platform that moves an instrument to a new version keeps the old one after it in
 * `instruments` (tokens asking for the id get the first) to go on exporting the old ratings.
 */
export function instrumentVersionFor(settings: PlatformSettings, id: string, version: number): Instrument | null {
  return instrumentsOf(settings).find((i) => i.id === id && i.version === version) ?? null;
}
