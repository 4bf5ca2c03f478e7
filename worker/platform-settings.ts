import * as v from 'valibot';
import {
  CueSettings,
  DEFAULT_CUE_SETTINGS,
  DEFAULT_INSTRUMENT,
  FlagRules,
  Instrument,
} from '../schemas/index.ts';

/** A platform's overrides, kept as JSON in platforms.settings. Every field is optional. */
export const PlatformSettings = v.object({
  cues: v.optional(v.partial(CueSettings)),
  flags: v.optional(v.partial(FlagRules)),
  /** Instruments the platform registered (e.g. a licensed SRS); tokens pick one with `ins`. */
  instruments: v.optional(v.array(Instrument)),
});
export type PlatformSettings = v.InferOutput<typeof PlatformSettings>;

/** Parses the stored JSON; a corrupt value is a bug in whoever wrote it, so it throws. */
export function parsePlatformSettings(json: string): PlatformSettings {
  return v.parse(PlatformSettings, JSON.parse(json));
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
    settings.instruments?.find((i) => i.id === wanted) ?? (wanted === DEFAULT_INSTRUMENT.id ? DEFAULT_INSTRUMENT : null);
  if (!found) return null;
  return { ...found, flags: { ...found.flags, ...settings.flags } };
}
