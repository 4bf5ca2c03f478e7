import { env } from 'cloudflare:workers';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { RatingReceipt, SessionContext, SessionSummary } from '../../../schemas/index.ts';
import { GOOD_PACING, GOOD_RATING, call, postJson, seedPlatform, sessionPath } from '../helpers.ts';

describe('rating loop', () => {
  it('client rates, therapist reads the summary with total and flags', async () => {
    const p = await seedPlatform();
    const client = await p.mint({ role: 'client' });
    const therapist = await p.mint({ role: 'therapist', sub: p.refs.tid });

    const pending = await call(sessionPath('summary'), { token: therapist });
    expect(pending.status).toBe(200);
    expect(await pending.json()).toMatchObject({ status: 'pending', items: [], total: null, flags: [] });

    const res = await postJson(sessionPath('rating'), client, GOOD_RATING);
    expect(res.status).toBe(201);
    const body = await res.json<{ status: string; receivedAt: number }>();
    expect(v.is(RatingReceipt, body)).toBe(true);
    expect(body.status).toBe('rated');
    expect(Math.abs(body.receivedAt - Date.now() / 1000)).toBeLessThan(5);

    const summary = await call(sessionPath('summary'), { token: therapist });
    expect(summary.status).toBe(200);
    const summaryBody = await summary.json<SessionSummary>();
    expect(v.is(SessionSummary, summaryBody)).toBe(true);
    const { trend, ...rest } = summaryBody;
    expect(trend).toEqual({
      client: [{ at: body.receivedAt, total: 36.2, items: GOOD_RATING.items, therapistShare: null }],
      therapist: { days: 90, sessions: 1, meanTotal: 36.2, meanTherapistShare: null },
    });
    expect(rest).toEqual({
      status: 'rated',
      instrument: { id: 'attune-session-4', version: 1 },
      items: GOOD_RATING.items,
      total: 36.2,
      maxTotal: 40,
      flags: [],
      ratedAt: body.receivedAt,
      pacing: null,
      asked: true,
      skipped: false,
    });
  });

  it('flags a total and items under the low floor, naming the rule, and includes pacing once recorded', async () => {
    const p = await seedPlatform();
    const therapist = await p.mint({ role: 'therapist' });
    const low = { ...GOOD_RATING, items: GOOD_RATING.items.map((i, n) => ({ ...i, value: n === 0 ? 3.5 : 5 })) };
    expect((await postJson(sessionPath('rating'), await p.mint({}), low)).status).toBe(201);
    const pacing = await postJson(sessionPath('pacing'), therapist, GOOD_PACING);
    expect(pacing.status).toBe(201);
    // The pacing answer is the receipt alone (only a rating's answer says whether the summary was delivered live).
    expect(await pacing.json()).toEqual({ status: 'recorded', receivedAt: expect.any(Number) });
    const summary = await (await call(sessionPath('summary'), { token: therapist })).json<Record<string, unknown>>();
    expect(summary.flags).toEqual([
      { rule: 'total_below', threshold: 20, total: 18.5 },
      { rule: 'item_below', threshold: 4, items: [{ id: GOOD_RATING.items[0]!.id, value: 3.5 }] },
    ]);
    expect(summary.total).toBe(18.5);
    expect(summary.pacing).toEqual(GOOD_PACING);
  });

  it('applies the platform flag rules and flags a drop from the same client’s previous session', async () => {
    const p = await seedPlatform({ settings: { flags: { totalBelow: 20, itemBelow: 5 } } });
    const first = await postJson(sessionPath('rating'), await p.mint({ sid: 's-1' }), GOOD_RATING);
    expect(first.status).toBe(201);
    const lower = { ...GOOD_RATING, items: GOOD_RATING.items.map((i) => ({ ...i, value: 7 })) };
    expect((await postJson(sessionPath('rating'), await p.mint({ sid: 's-2' }), lower)).status).toBe(201);
    const s1 = await (
      await call(sessionPath('summary'), { token: await p.mint({ sid: 's-1', role: 'therapist' }) })
    ).json<Record<string, unknown>>();
    const s2 = await (
      await call(sessionPath('summary'), { token: await p.mint({ sid: 's-2', role: 'therapist' }) })
    ).json<Record<string, unknown>>();
    expect(s1.flags).toEqual([]);
    expect(s2.flags).toEqual([{ rule: 'drop_from_previous', threshold: 4, previous: 36.2, total: 28 }]);
  });

  it('records a decline as one answer for the session', async () => {
    const p = await seedPlatform();
    const res = await postJson(sessionPath('rating'), await p.mint({}), { kind: 'declined' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'declined' });
    const summary = await (await call(sessionPath('summary'), { token: await p.mint({ role: 'therapist' }) })).json();
    expect(summary).toMatchObject({ status: 'declined', items: [], total: null, flags: [] });
  });

  it('GET /v1/context gives the role, instrument, locale, schedule and the platform’s cue settings', async () => {
    const p = await seedPlatform({ settings: { cues: { monologueSeconds: 120 } } });
    const sched = { start: 1_900_000_000, end: 1_900_003_000 };
    const res = await call('/v1/context', { token: await p.mint({ role: 'therapist', loc: 'es', sched }) });
    expect(res.status).toBe(200);
    const body = await res.json<SessionContext>();
    expect(v.is(SessionContext, body)).toBe(true);
    expect(body.role).toBe('therapist');
    expect(body.locale).toBe('es');
    expect(body.schedule).toEqual(sched);
    expect(body.instrument.id).toBe('attune-session-4');
    expect(body.instrument.items).toHaveLength(4);
    expect(body.cues.monologueSeconds).toBe(120);
    expect(body.cues.balanceShareAbove).toBe(0.6);
  });

  it('rejects a rating that does not fit the instrument', async () => {
    const p = await seedPlatform();
    const token = await p.mint({});
    const missing = { ...GOOD_RATING, items: GOOD_RATING.items.slice(0, 3) };
    const dup = { ...GOOD_RATING, items: [...GOOD_RATING.items.slice(0, 3), GOOD_RATING.items[0]] };
    const wrongIns = { ...GOOD_RATING, instrument: 'other' };
    for (const body of [missing, dup, wrongIns]) {
      const res = await postJson(sessionPath('rating'), token, body);
      expect(res.status).toBe(422);
    }
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM ratings WHERE platform_id = ?1').bind(p.platformId).first('n'),
    ).toBe(0);
  });
});
