// After a fuzz run: every row the platform has in D1 must satisfy the schemas the Worker validates against
// (ratings on the instrument's grid, pacing within its bounds, receipts as documented), the rollups must equal
// what the rows add up to, and no raw ref may be stored anywhere.
import { CASELOAD_CLIENTS_FROM_SCRATCH, PACE_DAYS_FROM_SCRATCH } from '../../../worker/db/caseload-queries.ts';
import { TREND_DAYS_FROM_SCRATCH } from '../../../worker/db/trend-queries.ts';
import { env } from 'cloudflare:workers';
import * as v from 'valibot';
import {
  EpochSeconds,
  Flag,
  IdempotencyKey,
  PacingAggregates,
  PacingReceipt,
  RatingReceipt,
  type Instrument,
} from '../../../schemas/index.ts';

const HASH = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/));
const Items = v.array(v.object({ id: v.string(), value: v.number() }));

const SessionRow = v.object({
  sid_hash: HASH,
  therapist_hash: HASH,
  client_hash: HASH,
  instrument_id: v.string(),
  instrument_version: v.number(),
  scheduled_start: v.nullable(EpochSeconds),
  scheduled_end: v.nullable(EpochSeconds),
  created_at: EpochSeconds,
  asked_at: v.nullable(EpochSeconds),
  client_seq: v.pipe(v.number(), v.integer(), v.minValue(1)),
});

const RatingRow = v.object({
  sid_hash: HASH,
  therapist_hash: HASH,
  client_hash: HASH,
  status: v.picklist(['rated', 'declined']),
  instrument_id: v.string(),
  instrument_version: v.number(),
  items: v.string(),
  total: v.nullable(v.number()),
  max_total: v.nullable(v.number()),
  flags: v.string(),
  rated_at: EpochSeconds,
});

const IdempotencyRow = v.object({
  idem_key: IdempotencyKey,
  scope: v.pipe(v.string(), v.regex(/^(rating|pacing):[A-Za-z0-9_-]{43}$/)),
  request_hash: HASH,
  status: v.literal(201),
  body: v.string(),
});

type Row = Record<string, unknown>;

async function rows(sql: string, platformId: string): Promise<Row[]> {
  return (await env.DB.prepare(sql).bind(platformId).all<Row>()).results;
}

function fail(table: string, why: string): never {
  throw new Error(`stored ${table} row fails its schema: ${why}`);
}

function parse<S extends v.GenericSchema>(table: string, schema: S, row: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, row);
  if (!r.success) fail(table, r.issues.map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`).join('; '));
  return r.output;
}

export interface StoredCounts {
  sessions: number;
  rated: number;
  declined: number;
  pacing: number;
  idempotency: number;
  audit: number;
}

/** Checks every row of the platform; throws on the first that fails. `rawRefs`: refs that tokens carried. */
export async function checkStored(
  platformId: string,
  instruments: Instrument[],
  rawRefs: Iterable<string>,
): Promise<StoredCounts> {
  const instrumentOf = (id: string, version: number) => instruments.find((i) => i.id === id && i.version === version);
  const sessions = (await rows('SELECT * FROM sessions WHERE platform_id = ?1', platformId)).map((r) =>
    parse('sessions', SessionRow, r),
  );
  const bySid = new Map(sessions.map((s) => [s.sid_hash, s]));
  for (const s of sessions) {
    if (!instrumentOf(s.instrument_id, s.instrument_version))
      fail('sessions', 'names an instrument the platform does not have');
    if (
      (s.scheduled_start === null) !== (s.scheduled_end === null) ||
      (s.scheduled_end ?? 1) <= (s.scheduled_start ?? 0)
    )
      fail('sessions', 'schedule');
  }
  // client_seq numbers a client's sessions with one therapist (feedback fatigue 'nth' counts per therapist).
  const seqs = new Set(sessions.map((s) => `${s.client_hash}:${s.therapist_hash}:${s.client_seq}`));
  if (seqs.size !== sessions.length) fail('sessions', 'two sessions of a client with one therapist share a client_seq');

  const ratings = (await rows('SELECT * FROM ratings WHERE platform_id = ?1', platformId)).map((r) =>
    parse('ratings', RatingRow, r),
  );
  for (const r of ratings) {
    const s = bySid.get(r.sid_hash) ?? fail('ratings', 'no session row');
    if (s.therapist_hash !== r.therapist_hash || s.client_hash !== r.client_hash)
      fail('ratings', 'participants differ from the session');
    if (s.asked_at === null) fail('ratings', 'session not marked asked');
    const flags = parse('ratings', v.array(Flag), JSON.parse(r.flags));
    const items = parse('ratings', Items, JSON.parse(r.items));
    if (r.status === 'declined') {
      if (items.length || r.total !== null || r.max_total !== null || flags.length)
        fail('ratings', 'a decline with values');
      continue;
    }
    const ins = instrumentOf(r.instrument_id, r.instrument_version) ?? fail('ratings', 'unknown instrument');
    if (r.instrument_id !== s.instrument_id) fail('ratings', 'instrument differs from the session');
    // Checked here rather than with the Worker's own checkItems, so that a bug there cannot pass its own check.
    if (items.map((i) => i.id).join() !== ins.items.map((i) => i.id).join())
      fail('ratings', 'items are not the instrument’s, in order');
    for (const { value } of items) {
      const steps = (value - ins.min) / ins.step;
      if (value < ins.min || value > ins.max || Math.abs(steps - Math.round(steps)) > 1e-6)
        fail('ratings', 'an item value off the instrument grid');
    }
    const total = Math.round(items.reduce((sum, i) => sum + i.value, 0) * 100) / 100;
    if (r.total !== total || r.max_total !== ins.max * ins.items.length) fail('ratings', 'total or max_total');
    const rules = ins.flags;
    const got: string[] = flags.map((f) => f.rule);
    const must = [
      ...(rules.totalBelow !== null && total < rules.totalBelow ? ['total_below'] : []),
      ...(rules.itemBelow !== null && items.some((i) => i.value < rules.itemBelow!) ? ['item_below'] : []),
    ];
    // The relative rules depend on the client's earlier sessions: allowed only when switched on; nothing else is.
    const relative = (rule: string) =>
      (rule === 'drop_from_previous' && rules.dropFromPrevious !== null) ||
      (rule === 'drop_from_mean' && rules.dropFromMean !== null);
    if (!must.every((f) => got.includes(f)) || got.some((f) => !must.includes(f) && !relative(f)))
      fail('ratings', 'flags disagree with the instrument rules');
  }

  const pacing = await rows('SELECT * FROM pacing WHERE platform_id = ?1', platformId);
  for (const p of pacing) {
    const s = bySid.get(String(p.sid_hash)) ?? fail('pacing', 'no session row');
    if (s.therapist_hash !== p.therapist_hash || s.client_hash !== p.client_hash)
      fail('pacing', 'participants differ from the session');
    const a = parse('pacing', PacingAggregates, {
      durationSeconds: p.duration_seconds,
      therapistTalkSeconds: p.therapist_talk_seconds,
      clientTalkSeconds: p.client_talk_seconds,
      overlapSeconds: p.overlap_seconds,
      overlapCount: p.overlap_count,
      silenceSeconds: p.silence_seconds,
      silenceCount: p.silence_count,
      longestSilenceSeconds: p.longest_silence_seconds,
      longestTherapistTurnSeconds: p.longest_therapist_turn_seconds,
      therapistTurns: p.therapist_turns,
      clientTurns: p.client_turns,
      cuesShown: p.cues_shown,
    });
    const spans = [
      a.therapistTalkSeconds,
      a.clientTalkSeconds,
      a.overlapSeconds,
      a.silenceSeconds,
      a.longestSilenceSeconds,
      a.longestTherapistTurnSeconds,
    ];
    if (spans.some((x) => x > a.durationSeconds + 1)) fail('pacing', 'a duration exceeds the session');
  }

  const idem = (await rows('SELECT * FROM idempotency WHERE platform_id = ?1', platformId)).map((r) =>
    parse('idempotency', IdempotencyRow, r),
  );
  const hasRating = new Set(ratings.map((r) => r.sid_hash));
  const hasPacing = new Set(pacing.map((p) => String(p.sid_hash)));
  for (const r of idem) {
    const [kind, sid] = r.scope.split(':') as ['rating' | 'pacing', string];
    if (!(kind === 'rating' ? hasRating : hasPacing).has(sid))
      fail('idempotency', 'a stored success without its write');
    parse(
      'idempotency',
      v.strictObject(kind === 'rating' ? RatingReceipt.entries : PacingReceipt.entries),
      JSON.parse(r.body),
    );
  }

  await checkRollups(platformId, sessions, ratings, pacing);
  await checkCaseloadRollups(platformId);

  const audit = await rows('SELECT route, params, row_count FROM audit_log WHERE platform_id = ?1', platformId);
  for (const a of audit) {
    parse(
      'audit_log',
      v.object({
        route: v.picklist(AUDITED_ROUTES),
        params: v.string(),
        row_count: v.pipe(v.number(), v.integer(), v.minValue(0)),
      }),
      a,
    );
    parse('audit_log', v.record(v.string(), v.union([v.string(), v.number()])), JSON.parse(String(a.params)));
  }

  // Hashes are base64url: a ref could match inside one by chance only if it is base64url itself, so those are
  // looked for as whole values; any other ref anywhere in the text.
  // Idempotency keys are the client's own random nonces, stored as sent: not refs (a fuzzed key may equal a fuzzed ref).
  const values = new Set(
    [sessions, ratings, pacing, idem.map(({ idem_key: _, ...r }) => r), audit]
      .flat()
      .flatMap((r) => Object.values(r).map(String)),
  );
  const text = [...values].join('\n');
  for (const ref of rawRefs) {
    if (ref.length >= 8 && (values.has(ref) || (!/^[A-Za-z0-9_-]+$/.test(ref) && text.includes(ref))))
      fail('any', `the raw ref ${JSON.stringify(ref)} is stored`);
  }

  return {
    sessions: sessions.length,
    rated: ratings.filter((r) => r.status === 'rated').length,
    declined: ratings.filter((r) => r.status === 'declined').length,
    pacing: pacing.length,
    idempotency: idem.length,
    audit: audit.length,
  };
}

const AUDITED_ROUTES = [
  '/v1/reports/therapists',
  '/v1/reports/weeks',
  '/v1/reports/pseudonyms',
  '/v1/clients/erase',
  '/v1/fhir/questionnaire-response',
  '/v1/webhooks/endpoints',
  '/v1/webhooks/deliveries/replay',
];

/**
 * The caseload rollups (migrations 0009, 0013) and the trend's per-instrument rollup (0014) must equal their
 * recomputation from the sessions, whatever the fuzz wrote.
 */
async function checkCaseloadRollups(platformId: string): Promise<void> {
  const norm = (list: Row[]) =>
    list
      .map((r) =>
        JSON.stringify({ ...r, recent: typeof r.recent === 'string' ? JSON.parse(r.recent).sort() : undefined }),
      )
      .sort();
  for (const [table, scratch] of [
    ['caseload_clients', CASELOAD_CLIENTS_FROM_SCRATCH],
    ['therapist_pace_days', PACE_DAYS_FROM_SCRATCH],
    ['therapist_trend_days', TREND_DAYS_FROM_SCRATCH],
  ] as const) {
    const stored = norm(await rows(`SELECT * FROM ${table} WHERE platform_id = ?1`, platformId));
    const want = norm(await rows(scratch, platformId));
    if (JSON.stringify(stored) !== JSON.stringify(want)) fail(table, 'the rollup differs from its recomputation');
  }
}

/** therapist_days must hold exactly what the sessions, ratings and pacing rows add up to (triggers included). */
async function checkRollups(
  platformId: string,
  sessions: v.InferOutput<typeof SessionRow>[],
  ratings: v.InferOutput<typeof RatingRow>[],
  pacing: Row[],
): Promise<void> {
  const want = new Map<string, Record<string, number>>();
  const bySid = new Map(sessions.map((s) => [s.sid_hash, s]));
  const cell = (sid: string) => {
    const s = bySid.get(sid)!;
    const k = `${s.therapist_hash}:${Math.floor(s.created_at / 86400)}`;
    const c = want.get(k) ?? { asked: 0, rated: 0, declined: 0, flagged: 0, share_sum: 0, share_n: 0 };
    want.set(k, c);
    return c;
  };
  for (const s of sessions) if (s.asked_at !== null) cell(s.sid_hash).asked! += 1;
  for (const r of ratings) {
    const c = cell(r.sid_hash);
    if (r.status === 'declined') c.declined! += 1;
    else {
      c.rated! += 1;
      if ((JSON.parse(r.flags) as unknown[]).length > 0) c.flagged! += 1;
    }
  }
  for (const p of pacing) {
    const t = Number(p.therapist_talk_seconds);
    const talk = t + Number(p.client_talk_seconds);
    if (talk <= 0) continue;
    const c = cell(String(p.sid_hash));
    c.share_n! += 1;
    c.share_sum! += Math.round((1_000_000 * t) / talk);
  }
  const got = await rows(
    'SELECT therapist_hash, day, asked, rated, declined, flagged, share_sum, share_n FROM therapist_days WHERE platform_id = ?1',
    platformId,
  );
  const gotMap = new Map(got.map((r) => [`${String(r.therapist_hash)}:${String(r.day)}`, r]));
  for (const [k, c] of want) {
    const r = gotMap.get(k);
    if (!r) {
      if (Object.values(c).some((x) => x !== 0)) fail('therapist_days', 'a rollup row is missing');
      continue;
    }
    for (const [field, n] of Object.entries(c)) {
      // share_sum rounding: SQLite's round() and Math.round agree except at exact halves, off by one at most.
      const off = Math.abs(Number(r[field]) - n);
      if (field === 'share_sum' ? off > c.share_n! : off !== 0)
        fail('therapist_days', `${field} is ${String(r[field])}, the rows add up to ${n}`);
    }
  }
  for (const [k, r] of gotMap)
    if (!want.has(k) && ['asked', 'rated', 'declined', 'share_n'].some((f) => Number(r[f]) !== 0))
      fail('therapist_days', 'a rollup row without rows');
}
