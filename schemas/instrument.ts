import * as v from 'valibot';

const Text = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

export const InstrumentItem = v.object({
  id: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{0,31}$/)),
  /** Per locale: the item's label and the words at each end of its scale. */
  text: v.record(v.string(), v.object({ label: Text, low: Text, high: Text })),
});
export type InstrumentItem = v.InferOutput<typeof InstrumentItem>;

/** Points of the total that count as a drop, by default (a tenth of the default instrument's 40). */
export const DEFAULT_DROP_POINTS = 4;

const Points = v.pipe(v.number(), v.finite(), v.minValue(0));
/**
 * A rule's threshold, or off: null, or false (settings are merged with JSON merge patch, where null deletes a key,
 * so `false` is how a platform switches a rule off).
 */
const Rule = (threshold: v.GenericSchema<number, number>) =>
  v.union([v.nullable(threshold), v.pipe(v.literal(false), v.transform((): null => null))]);
/** A stored setting from before the relative rules: `true` (any drop) becomes the default drop. */
const LegacyDropOn = v.pipe(
  v.literal(true),
  v.transform((): number => DEFAULT_DROP_POINTS),
);

/**
 * When a rating is flagged. Every rule can be switched off (null or false). The default instrument's defaults are
 * relative to the client's own sessions plus a low floor; the Session Rating Scale's 36 / 9 cut-offs belong to a
 * platform that registers the licensed SRS (they are validated for its wording only): see SRS_CUTOFFS.
 */
export const FlagRules = v.object({
  /** Flag when the total is below this (an absolute floor or a validated cut-off). */
  totalBelow: Rule(Points),
  /** Flag when any single item is below this. */
  itemBelow: Rule(Points),
  /** Flag when the total is at least this many points below the same client's previous session. */
  dropFromPrevious: v.union([Rule(v.pipe(Points, v.minValue(0.1))), LegacyDropOn]),
  /** Flag when the total is at least this many points below the client's running mean. */
  dropFromMean: v.optional(Rule(v.pipe(Points, v.minValue(0.1))), null),
  /** The running mean covers up to this many of the client's most recent earlier sessions... */
  meanWindow: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(50)), 10),
  /** ...and needs at least this many of them before the mean rule applies. */
  meanMinSessions: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(50)), 3),
});
export type FlagRules = v.InferOutput<typeof FlagRules>;

const Bound = v.pipe(v.number(), v.finite(), v.minValue(-1e6), v.maxValue(1e6));

export const Instrument = v.pipe(
  v.object({
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    version: v.pipe(v.number(), v.integer(), v.minValue(1)),
    min: Bound,
    max: Bound,
    /** Resolution of a value; 0.1 means one decimal. Must be > 0. */
    step: v.pipe(v.number(), v.finite(), v.gtValue(0)),
    items: v.pipe(v.array(InstrumentItem), v.minLength(1), v.maxLength(12)),
    flags: FlagRules,
  }),
  v.check((i) => i.min < i.max, 'min must be below max'),
);
export type Instrument = v.InferOutput<typeof Instrument>;

/**
 * The default instrument: four visual-analog items, 0 to 10 with one decimal, in our own words
 * (the Session Rating Scale's wording is licensed; a platform that holds a licence registers its own).
 */
export const DEFAULT_INSTRUMENT: Instrument = {
  id: 'attune-session-4',
  version: 1,
  min: 0,
  max: 10,
  step: 0.1,
  items: [
    {
      id: 'bond',
      text: {
        en: { label: 'Feeling heard and respected', low: 'I did not feel heard or respected', high: 'I felt heard, understood and respected' },
        es: { label: 'Sentirme escuchado y respetado', low: 'No me sentí escuchado ni respetado', high: 'Me sentí escuchado, comprendido y respetado' },
      },
    },
    {
      id: 'goals',
      text: {
        en: { label: 'What we worked on', low: 'We did not work on what I wanted to', high: 'We worked on what I wanted to work on' },
        es: { label: 'En qué trabajamos', low: 'No trabajamos en lo que yo quería', high: 'Trabajamos en lo que yo quería trabajar' },
      },
    },
    {
      id: 'approach',
      text: {
        en: { label: 'How we worked', low: 'The way we worked did not suit me', high: 'The way we worked suited me well' },
        es: { label: 'Cómo trabajamos', low: 'La forma de trabajar no me convenía', high: 'La forma de trabajar me convenía' },
      },
    },
    {
      id: 'overall',
      text: {
        en: { label: 'Today overall', low: 'Something was missing today', high: 'Overall, today felt right for me' },
        es: { label: 'La sesión en general', low: 'Hoy faltó algo', high: 'En general, la sesión de hoy fue buena para mí' },
      },
    },
  ],
  // A low floor (below the middle of the scale) and drops from the client's own sessions; no cut-off of the SRS.
  flags: { totalBelow: 20, itemBelow: 4, dropFromPrevious: DEFAULT_DROP_POINTS, dropFromMean: DEFAULT_DROP_POINTS, meanWindow: 10, meanMinSessions: 3 },
};

/**
 * The Session Rating Scale's validated cut-offs (total below 36 of 40, any item below 9), for a platform that
 * registers the licensed SRS as its instrument or switches them on in its settings (`flags`).
 */
export const SRS_CUTOFFS = { totalBelow: 36, itemBelow: 9 } as const;

export function instrumentMaxTotal(instrument: Instrument): number {
  return instrument.max * instrument.items.length;
}
