import * as v from 'valibot';
import {
  DEFAULT_CUE_SETTINGS,
  DEFAULT_INSTRUMENT,
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
  if (!found) return null;
  return { ...found, flags: { ...found.flags, ...settings.flags } };
}
