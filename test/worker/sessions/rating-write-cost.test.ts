// What one rating costs in D1: statements, round trips and rows written (D1's own
// meta.rows_written: triggers and index entries included), for a rating alone and for the usual flow where the
// client's widget first fetched /v1/context. The figures are pinned so that a change that adds writes is seen.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import app from '../../../worker/index.ts';
import { countingDb, type Recorded, totals } from '../d1-counter.ts';
import { GOOD_PACING, ratingRequest, seedPlatform, sessionPath } from '../helpers.ts';

async function counted(request: Request): Promise<{ status: number; log: Recorded[] }> {
  const { db, log } = countingDb(env.DB);
  const ctx = createExecutionContext();
  const res = await app.fetch(request, { ...env, DB: db }, ctx);
  await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return { status: res.status, log };
}

const rating = (token: string) => ratingRequest(token);

const context = (token: string) =>
  new Request('https://api.attune.test/v1/context', { headers: { Authorization: `Bearer ${token}` } });

function show(name: string, log: Recorded[]) {
  const t = totals(log);
  console.log(
    `${name}: ${JSON.stringify(t)}\n${log.map((r) => `  [${r.batch || '-'}] w${r.rowsWritten} r${r.rowsRead} ${r.sql.slice(0, 110)}`).join('\n')}`,
  );
  return t;
}

describe('D1 cost of one rating', () => {
  it('counts statements and rows written per rating, with and without the context call first', async () => {
    const p = await seedPlatform();
    // Warm the key cache (a cold isolate reads the key once per minute, not per request).
    await counted(rating(await p.mint({ sid: 'warm-up-session' })));

    const alone = await counted(rating(await p.mint({})));
    expect(alone.status).toBe(201);
    const a = show('rating alone', alone.log);

    const sid2 = `${p.refs.sid}-2`;
    const ctx = await counted(context(await p.mint({ sid: sid2 })));
    expect(ctx.status).toBe(200);
    const c = show('context (client)', ctx.log);
    const after = await counted(rating(await p.mint({ sid: sid2 })));
    expect(after.status).toBe(201);
    const r = show('rating after context', after.log);

    const sid3 = `${p.refs.sid}-3`;
    const pacing = await counted(
      new Request(`https://api.attune.test${sessionPath('pacing')}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${await p.mint({ sid: sid3, role: 'therapist' })}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': crypto.randomUUID(),
        },
        body: JSON.stringify(GOOD_PACING),
      }),
    );
    expect(pacing.status).toBe(201);
    const pc = show('pacing alone', pacing.log);

    // Pinned: see BENCHMARKS.md "D1 writes per rating" for the statement-by-statement account.
    expect({
      alone: a.rowsWritten,
      context: c.rowsWritten,
      afterContext: r.rowsWritten,
      pacing: pc.rowsWritten,
    }).toEqual(PINNED);
  });
});

/**
 * Rows written (D1 meta.rows_written) after migrations 0006 (idempotency keys per session), 0008, 0009, 0012 and 0014;
 * before 0008: 14, 6, 8 and 11; before 0009: 13, 5, 8 and 9; before 0012: 14, 5, 9 and 9; before 0014: 13, 5, 8 and 8.
 * 0009 adds one row per rating (the client's caseload_clients row), and one to whichever of a session's rating and
 * pacing arrives second (its therapist_pace_days row; not in these flows). 0012 drops the unread idempotency_scope
 * index: one entry less on every idempotent write. 0014 adds one row per rated rating (its therapist_trend_days row,
 * the trend's per-instrument rated count and total sum).
 */
const PINNED = { alone: 14, context: 5, afterContext: 9, pacing: 8 };
