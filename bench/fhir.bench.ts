// The FHIR R4 export (worker/fhir/): bytes of a Questionnaire and of a QuestionnaireResponse (raw and gzip; the
// response is what a webhook payload would carry) and the CPU time of building each, for the built-in instrument
// and for the largest a platform can register (12 items, 6 languages).  `npm run bench -- fhir`
import { gzipSync } from 'node:zlib';
import { DEFAULT_INSTRUMENT, type Instrument } from '../schemas/instrument.ts';
import { canonicalScopeOf } from '../worker/fhir/canonical.ts';
import { questionnaireOf } from '../worker/fhir/questionnaire.ts';
import { identifiersOf, questionnaireResponseOf } from '../worker/fhir/questionnaire-response.ts';
import { summary } from './lib/stats.ts';

const scope = canonicalScopeOf({}, 'plt_12345678');
const ids = identifiersOf(
  { session: 'appointment-2026-000417', client: 'patient-000088812' },
  { clientSystem: 'https://ehr.example.org/fhir/sid/patient', sessionSystem: 'https://ehr.example.org/fhir/sid/visit' },
);
const LARGEST: Instrument = {
  ...DEFAULT_INSTRUMENT,
  id: 'largest-12',
  items: Array.from({ length: 12 }, (_, n) => ({ ...DEFAULT_INSTRUMENT.items[n % 4]!, id: `item_${n}` })),
};

/** Microseconds per call, p50 and p95 (the machine is shared: the max says more about it than about the code). */
function micros(xs: number[]): string {
  const s = summary(xs);
  return `p50 ${s.p50} µs, p95 ${s.p95} µs (n=${s.n})`;
}

function time(fn: () => unknown, runs = 2000): number[] {
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    fn();
    out.push((performance.now() - t) * 1000);
  }
  return out;
}

const kb = (s: string) => `${(s.length / 1024).toFixed(2)} KB raw, ${(gzipSync(s).length / 1024).toFixed(2)} KB gzip`;
for (const instrument of [DEFAULT_INSTRUMENT, LARGEST]) {
  const rating = {
    status: 'rated' as const,
    items: instrument.items.map((i) => ({ id: i.id, value: 7.5 })),
    ratedAt: 1_785_000_000,
  };
  const response = () => questionnaireResponseOf({ instrument, scope, rating, ...ids });
  console.log(`${instrument.id} (${instrument.items.length} items)`);
  console.log(`  Questionnaire:          ${kb(JSON.stringify(questionnaireOf(instrument, scope)))}`);
  console.log(`  QuestionnaireResponse:  ${kb(JSON.stringify(response()))}`);
  time(response, 500); // warm-up
  console.log(`  questionnaireOf:          ${micros(time(() => questionnaireOf(instrument, scope)))}`);
  console.log(`  questionnaireResponseOf:  ${micros(time(response))}`);
}
