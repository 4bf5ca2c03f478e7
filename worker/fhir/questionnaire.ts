import type { Instrument, InstrumentItem } from '../../schemas/instrument.ts';
import type { FhirExtension, FhirQuestionnaire } from '../../schemas/fhir.ts';
import { decimalsOf, topGridPoint } from '../sessions/rating-items.ts';
import { type CanonicalScope, questionnaireUrlOf } from './canonical.ts';

/** Core R4 extensions (all in the R4 extension registry; test/node/fhir-schema.test.ts checks each one's context). */
export const EXT = {
  minValue: 'http://hl7.org/fhir/StructureDefinition/minValue',
  maxValue: 'http://hl7.org/fhir/StructureDefinition/maxValue',
  maxDecimalPlaces: 'http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces',
  sliderStepValue: 'http://hl7.org/fhir/StructureDefinition/questionnaire-sliderStepValue',
  itemControl: 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl',
  translation: 'http://hl7.org/fhir/StructureDefinition/translation',
} as const;
export const ITEM_CONTROL_SYSTEM = 'http://hl7.org/fhir/questionnaire-item-control';

/** A language tag FHIR accepts as a `code` (BCP 47 shape); other locale keys of an instrument are left out. */
const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/**
 * FHIR's `string` pattern (`[ \r\n\t\S]+`) read as an ECMAScript regex, as JSON Schema validators read it, refuses
 * any other white space: a no-break space (French typography), a line separator. Those become plain spaces.
 */
export function fhirString(text: string): string {
  return text.replace(/[^\S \r\n\t]/g, ' ');
}

export type AnswerType = 'decimal' | 'integer';

/** Integer when every grid point `min + k·step` is an integer; decimal otherwise (the default 0..10 by 0.1). */
export function answerTypeOf(instrument: Instrument): AnswerType {
  return Number.isInteger(instrument.step) && Number.isInteger(instrument.min) ? 'integer' : 'decimal';
}

/**
 * The language the Questionnaire is written in: English when every item has it, else the first language every item
 * has (null when the items share none: each item then speaks its own first language).
 */
function primaryLanguageOf(items: readonly InstrumentItem[]): string | null {
  const shared = Object.keys(items[0]?.text ?? {}).filter(
    (lang) => LANGUAGE.test(lang) && items.every((i) => i.text[lang] !== undefined),
  );
  return shared.includes('en') ? 'en' : (shared[0] ?? null);
}

const itemControl = (code: string): FhirExtension => ({
  url: EXT.itemControl,
  valueCodeableConcept: { coding: [{ system: ITEM_CONTROL_SYSTEM, code }] },
});

/** One text in `lang` with every other language's wording as `translation` extensions on `_text`. */
function textIn(
  texts: Record<string, string>,
  lang: string | null,
): { text?: string; _text?: { extension: FhirExtension[] } } {
  const langs = Object.keys(texts).filter((l) => LANGUAGE.test(l));
  const main = lang !== null && texts[lang] !== undefined ? lang : (langs[0] ?? null);
  if (main === null) return {};
  const translations = langs
    .filter((l) => l !== main)
    .map((l) => ({
      url: EXT.translation,
      extension: [
        { url: 'lang', valueCode: l },
        { url: 'content', valueString: texts[l]! },
      ],
    }));
  return { text: texts[main]!, ...(translations.length ? { _text: { extension: translations } } : {}) };
}

function wordsOf(item: InstrumentItem, key: 'label' | 'low' | 'high'): Record<string, string> {
  return Object.fromEntries(Object.entries(item.text).map(([lang, t]) => [lang, fhirString(t[key])]));
}

/**
 * An instrument as a FHIR R4 Questionnaire: one required slider question per item (decimal or integer, with the
 * scale's min, max and resolution), the words at each end as `lower` / `upper` display items, every language of
 * the instrument as translations. Flag rules are Attune's own and not part of it. Pure: no I/O.
 */
export function questionnaireOf(instrument: Instrument, scope: CanonicalScope): FhirQuestionnaire {
  const type = answerTypeOf(instrument);
  const lang = primaryLanguageOf(instrument.items);
  const value = (n: number) => (type === 'integer' ? { valueInteger: n } : { valueDecimal: n });
  const scale: FhirExtension[] = [
    { url: EXT.minValue, ...value(instrument.min) },
    { url: EXT.maxValue, ...value(topGridPoint(instrument)) },
    type === 'integer'
      ? { url: EXT.sliderStepValue, valueInteger: instrument.step }
      : {
          url: EXT.maxDecimalPlaces,
          valueInteger: Math.max(decimalsOf(instrument.step), decimalsOf(instrument.min)),
        },
    itemControl('slider'),
  ];
  return {
    resourceType: 'Questionnaire',
    url: questionnaireUrlOf(scope, instrument.id),
    version: String(instrument.version),
    title: fhirString(instrument.id),
    status: 'active',
    subjectType: ['Patient'],
    ...(lang ? { language: lang } : {}),
    item: instrument.items.map((item) => {
      const ends = (['low', 'high'] as const).flatMap((end) => {
        const words = textIn(wordsOf(item, end), lang);
        if (words.text === undefined) return [];
        const control = itemControl(end === 'low' ? 'lower' : 'upper');
        return [
          { linkId: `${item.id}.${end}`, type: 'display' as const, ...words, text: words.text, extension: [control] },
        ];
      });
      return {
        linkId: item.id,
        ...textIn(wordsOf(item, 'label'), lang),
        type,
        required: true as const,
        extension: scale,
        ...(ends.length ? { item: ends } : {}),
      };
    }),
  };
}
