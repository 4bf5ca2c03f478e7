/**
 * FHIR rules a JSON schema cannot express, checked over a Questionnaire and a QuestionnaireResponse to it (from the
 * R4 Questionnaire and QuestionnaireResponse pages and their invariants que-*, qrs-*). Each returns the problems
 * found (empty: none).
 */
import type { FhirQuestionnaire, FhirQuestionnaireResponse } from '../../schemas/fhir.ts';
import { EXT } from '../../worker/fhir/questionnaire.ts';

type Item = FhirQuestionnaire['item'][number];

function scaleOf(item: Item): { min?: number; max?: number; places?: number } {
  const ext = (url: string) => item.extension.find((e) => e.url === url);
  const num = (url: string) => ext(url)?.valueDecimal ?? ext(url)?.valueInteger;
  return { min: num(EXT.minValue), max: num(EXT.maxValue), places: ext(EXT.maxDecimalPlaces)?.valueInteger };
}

/** Required elements; que-2: linkIds are unique; the scale's bounds are of the item's type and in order; display items carry text. */
export function questionnaireProblems(q: FhirQuestionnaire): string[] {
  const problems: string[] = [];
  // Cardinality (1..1 elements), which R4's JSON schema does not encode.
  if (!q.status) problems.push('Questionnaire.status is required');
  for (const i of q.item) if (!i.linkId || !i.type) problems.push('an item without linkId or type');
  const ids = q.item.flatMap((i) => [i.linkId, ...(i.item ?? []).map((d) => d.linkId)]);
  if (new Set(ids).size !== ids.length) problems.push('linkIds are not unique (que-2)');
  for (const item of q.item) {
    const valueKey = item.type === 'integer' ? 'valueInteger' : 'valueDecimal';
    for (const e of item.extension.filter((x) => x.url === EXT.minValue || x.url === EXT.maxValue)) {
      const value = e[valueKey];
      if (value === undefined) problems.push(`${item.linkId}: ${e.url} is not ${valueKey}`);
      if (item.type === 'integer' && value !== undefined && !Number.isInteger(value))
        problems.push(`${item.linkId}: an integer bound that is not an integer`);
    }
    const { min, max } = scaleOf(item);
    if (min === undefined || max === undefined || !(min < max)) problems.push(`${item.linkId}: no scale min < max`);
    for (const d of item.item ?? []) if (!d.text) problems.push(`${d.linkId}: a display item without text`);
  }
  return problems;
}

function decimalsIn(n: number): number {
  const [, frac = ''] = String(n).split('.');
  return /e/i.test(String(n)) ? 99 : frac.length;
}

/**
 * A response fits its Questionnaire: `questionnaire` is its url|version; every answered linkId is a question of it,
 * in its order (qrs-2 spirit: items in the Questionnaire's order), each answered once with the value[x] its type
 * calls for, within its bounds and decimal places; a completed response answers every required question; a
 * stopped one has no answers.
 */
export function responseProblems(q: FhirQuestionnaire, qr: FhirQuestionnaireResponse): string[] {
  const problems: string[] = [];
  if (!qr.status) problems.push('QuestionnaireResponse.status is required');
  if (!qr.subject?.identifier?.value || !qr.encounter?.identifier?.value) problems.push('no subject or encounter');
  if (qr.questionnaire !== `${q.url}|${q.version}`) problems.push('questionnaire is not the url|version');
  const questions = new Map(q.item.map((i, index) => [i.linkId, { item: i, index }]));
  let last = -1;
  for (const a of qr.item ?? []) {
    const found = questions.get(a.linkId);
    if (!found) {
      problems.push(`${a.linkId}: not a question of the Questionnaire`);
      continue;
    }
    if (found.index <= last) problems.push(`${a.linkId}: out of the Questionnaire's order`);
    last = found.index;
    if (a.text !== undefined && a.text !== found.item.text) problems.push(`${a.linkId}: text differs`);
    if (a.answer.length !== 1) problems.push(`${a.linkId}: not exactly one answer`);
    for (const answer of a.answer) {
      const keys = Object.keys(answer);
      const want = found.item.type === 'integer' ? 'valueInteger' : 'valueDecimal';
      if (keys.length !== 1 || keys[0] !== want) {
        problems.push(`${a.linkId}: answer is ${keys.join('+')}, the item type ${found.item.type} needs ${want}`);
        continue;
      }
      const value = Object.values(answer)[0] as number;
      if (want === 'valueInteger' && !Number.isInteger(value)) problems.push(`${a.linkId}: not an integer`);
      const { min, max, places } = scaleOf(found.item);
      if (min !== undefined && value < min) problems.push(`${a.linkId}: below minValue`);
      if (max !== undefined && value > max) problems.push(`${a.linkId}: above maxValue`);
      if (places !== undefined && decimalsIn(value) > places) problems.push(`${a.linkId}: more decimal places`);
    }
  }
  const answered = new Set((qr.item ?? []).map((a) => a.linkId));
  if (new Set((qr.item ?? []).map((a) => a.linkId)).size !== (qr.item ?? []).length)
    problems.push('a question is answered twice');
  if (qr.status === 'completed')
    for (const i of q.item)
      if (i.required && !answered.has(i.linkId)) problems.push(`${i.linkId}: required, unanswered`);
  if (qr.status === 'stopped' && answered.size > 0) problems.push('a declined (stopped) response has answers');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(qr.authored))
    problems.push('authored is not a dateTime with a time zone');
  return problems;
}
