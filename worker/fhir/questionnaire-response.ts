import type { Instrument } from '../../schemas/instrument.ts';
import type { FhirIdentifier, FhirQuestionnaireResponse, FhirSettings } from '../../schemas/fhir.ts';
import type { ItemValue } from '../summary/build-summary.ts';
import type { CanonicalScope } from './canonical.ts';
import { answerTypeOf, questionnaireOf } from './questionnaire.ts';

/** How a declined rating is marked: the client was asked and declined (HL7 data-absent-reason). */
export const DECLINED_TAG = {
  system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
  code: 'asked-declined',
  display: 'Asked But Declined',
} as const;

/** A session's rating as stored: rated with one value per item, or declined (no items). */
export type StoredRating =
  | { status: 'rated'; items: readonly ItemValue[]; ratedAt: number }
  | { status: 'declined'; ratedAt: number };

/**
 * A session's stored rating as the mapping takes it, from the session's status, items and time (a summary, or its
 * row with the items parsed); null while it has neither a rating nor a decline. The export route and the webhook
 * payload both take it from here.
 */
export function storedRatingOf(r: {
  status: string | null;
  items: readonly ItemValue[];
  ratedAt: number | null;
}): StoredRating | null {
  if (r.ratedAt === null) return null;
  if (r.status === 'rated') return { status: 'rated', items: r.items, ratedAt: r.ratedAt };
  if (r.status === 'declined') return { status: 'declined', ratedAt: r.ratedAt };
  return null;
}

/** The platform's own refs for the session and its client, as it sent them (never read from D1, which holds hashes). */
export interface PlatformRefs {
  /** The session ref (`sid`). */
  session: string;
  /** The client ref (`cid`). */
  client: string;
}

/** The identifiers `subject` and `encounter` carry: the refs, under the platform's systems when it set them. */
export function identifiersOf(
  refs: PlatformRefs,
  fhir: FhirSettings | undefined,
): { subject: FhirIdentifier; encounter: FhirIdentifier } {
  return {
    subject: { ...(fhir?.clientSystem ? { system: fhir.clientSystem } : {}), value: refs.client },
    encounter: { ...(fhir?.sessionSystem ? { system: fhir.sessionSystem } : {}), value: refs.session },
  };
}

/** Epoch seconds as a FHIR dateTime in UTC, to the second. */
function dateTimeOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A session's rating as a FHIR R4 QuestionnaireResponse to `questionnaireOf(instrument, scope)`:
 * - rated: `completed`, one answer per item in the instrument's order (valueDecimal or valueInteger as the
 *   Questionnaire's item type says);
 * - declined: `stopped`, no items, tagged data-absent-reason `asked-declined`.
 * `subject` and `source` (the client answered for themself) name the client and `encounter` the session, by the
 * platform's own refs as identifiers: no name, email, IP, therapist or Attune hash is ever in it. Flags, the total
 * and pacing are not part of it. Pure: no I/O. Throws when the items do not fit the instrument (a stored rating
 * always does: the Worker checked it against this instrument version).
 */
export function questionnaireResponseOf(input: {
  instrument: Instrument;
  scope: CanonicalScope;
  rating: StoredRating;
  subject: FhirIdentifier;
  encounter: FhirIdentifier;
}): FhirQuestionnaireResponse {
  const { instrument, rating } = input;
  const questionnaire = questionnaireOf(instrument, input.scope);
  const head = {
    resourceType: 'QuestionnaireResponse' as const,
    questionnaire: `${questionnaire.url}|${questionnaire.version}`,
    subject: { type: 'Patient' as const, identifier: input.subject },
    encounter: { type: 'Encounter' as const, identifier: input.encounter },
    source: { type: 'Patient' as const, identifier: input.subject },
    authored: dateTimeOf(rating.ratedAt),
  };
  if (rating.status === 'declined') return { ...head, meta: { tag: [{ ...DECLINED_TAG }] }, status: 'stopped' };

  const values = new Map(rating.items.map((i) => [i.id, i.value]));
  if (values.size !== rating.items.length || values.size !== instrument.items.length)
    throw new Error('the rating does not answer each item of its instrument once');
  const integer = answerTypeOf(instrument) === 'integer';
  return {
    ...head,
    status: 'completed',
    item: questionnaire.item.map((q) => {
      const value = values.get(q.linkId);
      if (value === undefined || (integer && !Number.isInteger(value)))
        throw new Error('the rating does not fit its instrument');
      return {
        linkId: q.linkId,
        ...(q.text !== undefined ? { text: q.text } : {}),
        answer: [integer ? { valueInteger: value } : { valueDecimal: value }],
      };
    }),
  };
}
