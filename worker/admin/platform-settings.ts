import * as v from 'valibot';
import { CueSettings, DEFAULT_CUE_SETTINGS, DEFAULT_INSTRUMENT, FlagRules, Instrument } from '../../schemas/index.ts';
import { FhirSettings } from '../../schemas/fhir.ts';

/** A platform's overrides, kept as JSON in platforms.settings. Every field is optional. */
export const PlatformSettings = v.object({
  cues: v.optional(v.partial(CueSettings)),
  flags: v.optional(v.partial(FlagRules)),
  /** Instruments the platform registered (e.g. a licensed SRS); tokens pick one with `ins`. */
  instruments: v.optional(v.array(Instrument)),
  /** Feedback fatigue: ask the client every session (default), every nth of theirs, or a share of sessions. */
  ask: v.optional(
    v.variant('mode', [
      v.object({ mode: v.literal('every') }),
      v.object({ mode: v.literal('nth'), n: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)) }),
      v.object({ mode: v.literal('share'), share: v.pipe(v.number(), v.minValue(0), v.maxValue(1)) }),
    ]),
  ),
  /** The identifier systems of the platform's refs in FHIR exports (schemas/fhir.ts). */
  fhir: v.optional(FhirSettings),
  trend: v.optional(
    v.object({
      /** Days the therapist's rolling mean covers (default 90). */
      days: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3660))),
      /** Most recent sessions in the client's series (default 24). */
      points: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200))),
    }),
  ),
});
export type PlatformSettings = v.InferOutput<typeof PlatformSettings>;

/** Parses the stored JSON; a corrupt value is a bug in whoever wrote it, so it throws. */
export function parsePlatformSettings(json: string): PlatformSettings {
  return v.parse(PlatformSettings, JSON.parse(json));
}

export type AskSetting = NonNullable<PlatformSettings['ask']>;

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
