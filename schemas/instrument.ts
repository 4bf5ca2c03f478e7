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
  v.union([
    v.nullable(threshold),
    v.pipe(
      v.literal(false),
      v.transform((): null => null),
    ),
  ]);
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
/** One version of an instrument, as a rating records it: totals of different ones are on different scales. */
export type InstrumentVersionKey = Pick<Instrument, 'id' | 'version'>;

/**
 * The default instrument: four visual-analog items (bond, what the time went to, the way of working, the session
 * as a whole), 0 to 10 with one decimal, in our own words in every language the client's card speaks. No phrase
 * comes from the Session Rating Scale or the Outcome Rating Scale, whose wording is licensed: a platform that holds
 * a licence registers the official instrument under its own id in its settings (`instruments`, see
 * schemas/platform-settings.ts), and its tokens ask for it by id (`ins`).
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
        en: {
          label: 'Trust between us',
          low: 'I held back in this session',
          high: 'I could speak freely in this session',
        },
        es: {
          label: 'Confianza mutua',
          low: 'Me costó hablar con libertad en esta sesión',
          high: 'Pude hablar con libertad en esta sesión',
        },
        fr: {
          label: 'Confiance mutuelle',
          low: "J'ai eu du mal à parler librement pendant cette séance",
          high: "J'ai pu parler librement pendant cette séance",
        },
        de: {
          label: 'Vertrauen',
          low: 'Es fiel mir schwer, in dieser Sitzung offen zu sprechen',
          high: 'Ich konnte in dieser Sitzung offen sprechen',
        },
        pt: {
          label: 'Confiança mútua',
          low: 'Tive dificuldade em falar abertamente nesta sessão',
          high: 'Consegui falar abertamente nesta sessão',
        },
        ar: {
          label: 'الثقة المتبادلة',
          low: 'صعُب عليّ أن أتحدث بانفتاح في هذه الجلسة',
          high: 'استطعت أن أتحدث بانفتاح في هذه الجلسة',
        },
      },
    },
    {
      id: 'goals',
      text: {
        en: {
          label: 'What we focused on',
          low: 'The time went to things that matter less to me',
          high: 'The time went to what matters most to me',
        },
        es: {
          label: 'En qué nos centramos',
          low: 'El tiempo se fue en cosas que me importan menos',
          high: 'El tiempo se dedicó a lo que más me importa',
        },
        fr: {
          label: 'Les sujets abordés',
          low: 'Le temps est allé à ce qui compte moins pour moi',
          high: 'Le temps est allé à ce qui compte le plus pour moi',
        },
        de: {
          label: 'Worum es ging',
          low: 'Die Zeit ging an Dinge, die mir weniger wichtig sind',
          high: 'Die Zeit ging an das, was mir am wichtigsten ist',
        },
        pt: {
          label: 'No que nos concentramos',
          low: 'O tempo foi para coisas que importam menos para mim',
          high: 'O tempo foi para o que mais importa para mim',
        },
        ar: {
          label: 'ما ركّزنا عليه',
          low: 'ذهب الوقت إلى أمور أقل أهمية بالنسبة لي',
          high: 'ذهب الوقت إلى ما يهمني أكثر',
        },
      },
    },
    {
      id: 'approach',
      text: {
        en: {
          label: 'The way we worked',
          low: 'How we worked today did not help me',
          high: 'How we worked today helped me',
        },
        es: {
          label: 'La forma de trabajar',
          low: 'La forma en que trabajamos hoy no me ayudó',
          high: 'La forma en que trabajamos hoy me ayudó',
        },
        fr: {
          label: 'Notre façon de travailler',
          low: "Notre façon de travailler aujourd'hui ne m'a pas été utile",
          high: "Notre façon de travailler aujourd'hui m'a été utile",
        },
        de: {
          label: 'Unsere Arbeitsweise',
          low: 'Wie wir heute gearbeitet haben, hat mir nicht geholfen',
          high: 'Wie wir heute gearbeitet haben, hat mir geholfen',
        },
        pt: {
          label: 'Nossa forma de trabalhar',
          low: 'A forma como trabalhamos hoje não me ajudou',
          high: 'A forma como trabalhamos hoje me ajudou',
        },
        ar: { label: 'طريقة عملنا', low: 'طريقة عملنا اليوم لم تساعدني', high: 'طريقة عملنا اليوم ساعدتني' },
      },
    },
    {
      id: 'overall',
      text: {
        en: {
          label: 'The session as a whole',
          low: 'This session did little for me',
          high: 'This session was worth my time',
        },
        es: {
          label: 'La sesión en su conjunto',
          low: 'Esta sesión me aportó poco',
          high: 'Esta sesión valió la pena para mí',
        },
        fr: {
          label: 'La séance dans son ensemble',
          low: "Cette séance m'a peu apporté",
          high: 'Cette séance en valait la peine pour moi',
        },
        de: {
          label: 'Die Sitzung insgesamt',
          low: 'Diese Sitzung hat mir wenig gebracht',
          high: 'Diese Sitzung hat sich für mich gelohnt',
        },
        pt: {
          label: 'A sessão como um todo',
          low: 'Esta sessão me trouxe pouco',
          high: 'Esta sessão valeu a pena para mim',
        },
        ar: { label: 'الجلسة ككل', low: 'لم تقدّم لي هذه الجلسة الكثير', high: 'كانت هذه الجلسة تستحق وقتي' },
      },
    },
  ],
  // A low floor (below the middle of the scale) and drops from the client's own sessions; no cut-off of the SRS.
  flags: {
    totalBelow: 20,
    itemBelow: 4,
    dropFromPrevious: DEFAULT_DROP_POINTS,
    dropFromMean: DEFAULT_DROP_POINTS,
    meanWindow: 10,
    meanMinSessions: 3,
  },
};

/**
 * The Session Rating Scale's validated cut-offs (total below 36 of 40, any item below 9), for a platform that
 * registers the licensed SRS as its instrument or switches them on in its settings (`flags`).
 */
export const SRS_CUTOFFS = { totalBelow: 36, itemBelow: 9 } as const;

export function instrumentMaxTotal(instrument: Instrument): number {
  return instrument.max * instrument.items.length;
}

/** The span of the instrument's totals, lowest to highest (40 for the default instrument, 18 for 3..21). */
export function instrumentRange(instrument: Pick<Instrument, 'min' | 'max' | 'items'>): number {
  return (instrument.max - instrument.min) * instrument.items.length;
}
