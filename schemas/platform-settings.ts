import * as v from 'valibot';
import { FhirSettings } from './fhir.ts';
import { FlagRules, Instrument } from './instrument.ts';
import { CueSettings } from './pacing.ts';

/** A platform's overrides, kept as JSON in platforms.settings. Every field is optional. */
export const PlatformSettings = v.object({
  cues: v.optional(v.partial(CueSettings)),
  flags: v.optional(v.partial(FlagRules)),
  /** Instruments the platform registered (e.g. a licensed SRS); tokens pick one with `ins`. */
  instruments: v.optional(v.array(Instrument)),
  /**
   * Feedback fatigue: ask the client every session (default), every nth of their sessions with the same therapist, or
   * a share of sessions.
   */
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

export type AskSetting = NonNullable<PlatformSettings['ask']>;
