import * as v from 'valibot';
import { Ref } from './common.ts';

/**
 * FHIR R4 resources as Attune exports them (worker/fhir/): a `Questionnaire` per instrument, a
 * `QuestionnaireResponse` per rated or declined session. Only the elements Attune fills are described here; the
 * full R4 JSON schema checks them in test/node/fhir-schema.test.ts.
 */

/** An absolute URI (a FHIR identifier system), no spaces. */
export const FhirUri = v.pipe(
  v.string(),
  v.maxLength(256),
  v.regex(/^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/, 'an absolute URI'),
);

/**
 * `settings.fhir`: the identifier systems under which the platform's own refs are known in its EHR, so that
 * `subject` and `encounter` resolve there. Without them the identifiers carry the ref alone.
 */
export const FhirSettings = v.object({
  /** The system of the client refs (`cid`), e.g. your patient identifier system. */
  clientSystem: v.optional(FhirUri),
  /** The system of the session refs (`sid`), e.g. your encounter or appointment identifier system. */
  sessionSystem: v.optional(FhirUri),
});
export type FhirSettings = v.InferOutput<typeof FhirSettings>;

export const FhirCoding = v.object({ system: v.string(), code: v.string(), display: v.optional(v.string()) });

const SubExtension = v.object({
  url: v.string(),
  valueCode: v.optional(v.string()),
  valueString: v.optional(v.string()),
});

export const FhirExtension = v.object({
  url: v.string(),
  valueInteger: v.optional(v.number()),
  valueDecimal: v.optional(v.number()),
  valueCodeableConcept: v.optional(v.object({ coding: v.array(FhirCoding) })),
  /** A complex extension's parts (a translation's `lang` and `content`). */
  extension: v.optional(v.array(SubExtension)),
});
export type FhirExtension = v.InferOutput<typeof FhirExtension>;

/** The extensions of a string element (`_text`): its translations. */
const TextElement = v.object({ extension: v.array(FhirExtension) });

/** The words at one end of a question's scale (item control `lower` or `upper`). */
export const FhirDisplayItem = v.object({
  linkId: v.string(),
  type: v.literal('display'),
  text: v.string(),
  _text: v.optional(TextElement),
  extension: v.array(FhirExtension),
});

export const FhirQuestionItem = v.object({
  linkId: v.string(),
  text: v.optional(v.string()),
  _text: v.optional(TextElement),
  type: v.picklist(['decimal', 'integer']),
  required: v.literal(true),
  extension: v.array(FhirExtension),
  item: v.optional(v.array(FhirDisplayItem)),
});

export const FhirQuestionnaire = v.object({
  resourceType: v.literal('Questionnaire'),
  /** Canonical URL: `<base>/<platform id>/Questionnaire/<instrument id>`. */
  url: v.string(),
  version: v.string(),
  title: v.string(),
  status: v.literal('active'),
  subjectType: v.array(v.literal('Patient')),
  language: v.optional(v.string()),
  item: v.array(FhirQuestionItem),
});
export type FhirQuestionnaire = v.InferOutput<typeof FhirQuestionnaire>;

/** The platform's own ref, as given in the request (never stored), under its system when one is set. */
export const FhirIdentifier = v.object({ system: v.optional(v.string()), value: v.string() });
export type FhirIdentifier = v.InferOutput<typeof FhirIdentifier>;

const FhirReference = (type: 'Patient' | 'Encounter') =>
  v.object({ type: v.literal(type), identifier: FhirIdentifier });

export const FhirAnswer = v.union([v.object({ valueDecimal: v.number() }), v.object({ valueInteger: v.number() })]);

export const FhirQuestionnaireResponse = v.object({
  resourceType: v.literal('QuestionnaireResponse'),
  /** A declined rating is tagged `asked-declined` (data-absent-reason). */
  meta: v.optional(v.object({ tag: v.array(FhirCoding) })),
  /** `<Questionnaire.url>|<Questionnaire.version>`. */
  questionnaire: v.string(),
  /** `completed` when rated; `stopped`, without items, when the client declined. */
  status: v.picklist(['completed', 'stopped']),
  subject: FhirReference('Patient'),
  encounter: FhirReference('Encounter'),
  /** The client answered for themself. */
  source: FhirReference('Patient'),
  authored: v.string(),
  item: v.optional(
    v.array(v.object({ linkId: v.string(), text: v.optional(v.string()), answer: v.array(FhirAnswer) })),
  ),
});
export type FhirQuestionnaireResponse = v.InferOutput<typeof FhirQuestionnaireResponse>;

/** Every Questionnaire a platform's sessions can use. */
export const FhirQuestionnaireBundle = v.object({
  resourceType: v.literal('Bundle'),
  type: v.literal('collection'),
  entry: v.array(v.object({ resource: FhirQuestionnaire })),
});
export type FhirQuestionnaireBundle = v.InferOutput<typeof FhirQuestionnaireBundle>;

/**
 * `POST /v1/fhir/questionnaire-response`: the platform's own session and client refs, in the body (never in a URL).
 * Hashed on arrival to find the session; echoed in the resource's `encounter` and `subject`; never stored.
 */
export const QuestionnaireResponseRequest = v.strictObject({ session: Ref, client: Ref });
