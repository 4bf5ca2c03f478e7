import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT, SRS_CUTOFFS } from '../../schemas/index.ts';
import * as q from '../../worker/db/queries.ts';
import { ApiFailure } from '../../worker/http/errors.ts';
import { cueSettingsFor, instrumentFor, parsePlatformSettings } from '../../worker/admin/platform-settings.ts';
import { checkItems } from '../../worker/sessions/rating-items.ts';
import { hashRef } from '../../worker/auth/ref-hash.ts';
import { flagsFor, isSkipped, storedFlags, summaryFromRow, totalOf } from '../../worker/summary/build-summary.ts';
import { seedPlatform } from './helpers.ts';

const SECRET = 'unit-test-secret-0123456789';
const items = (...values: number[]) => DEFAULT_INSTRUMENT.items.map((it, i) => ({ id: it.id, value: values[i]! }));

describe('refs', () => {
  it('hashes are keyed per platform, per kind and per secret, and deterministic', async () => {
    const a = await hashRef(SECRET, 'plt_a', 'cid', 'client-1');
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await hashRef(SECRET, 'plt_a', 'cid', 'client-1')).toBe(a);
    expect(await hashRef(SECRET, 'plt_b', 'cid', 'client-1')).not.toBe(a);
    expect(await hashRef(SECRET, 'plt_a', 'tid', 'client-1')).not.toBe(a);
    expect(await hashRef(`${SECRET}x`, 'plt_a', 'cid', 'client-1')).not.toBe(a);
    await expect(hashRef('', 'plt_a', 'cid', 'x')).rejects.toThrow();
  });
});

describe('summary', () => {
  it('totals at one decimal; flags name their rule: a low floor and drops from the client’s own sessions', () => {
    expect(totalOf(items(0.1, 0.2, 0, 0))).toBe(0.3);
    const rules = DEFAULT_INSTRUMENT;
    const none = { previous: null, mean: null, sessions: 0 };
    // 35.5 of 40 with no history: nothing (the SRS's 36 / 9 are not the default instrument's cut-offs).
    expect(flagsFor(rules, items(8.5, 9.2, 8.8, 9), 35.5, none)).toEqual([]);
    expect(flagsFor(rules, items(3.9, 6, 5, 4.1), 19, null)).toEqual([
      { rule: 'total_below', threshold: 20, total: 19 },
      { rule: 'item_below', threshold: 4, items: [{ id: 'bond', value: 3.9 }] },
    ]);
    // A small dip is no flag; a drop of the threshold (4.0 in 0.1 steps) is.
    expect(flagsFor(rules, items(9, 9, 9, 8.5), 35.5, { previous: 38, mean: 38, sessions: 1 })).toEqual([]);
    expect(flagsFor(rules, items(8.5, 8.5, 8.5, 8.5), 34, { previous: 38, mean: 38, sessions: 1 })).toEqual([
      { rule: 'drop_from_previous', threshold: 4, previous: 38, total: 34 },
    ]);
    // The running mean needs three earlier sessions.
    expect(flagsFor(rules, items(8, 8, 8, 8), 32, { previous: 33, mean: 36.33, sessions: 2 })).toEqual([]);
    expect(flagsFor(rules, items(8, 8, 8, 8), 32, { previous: 33, mean: 36.333, sessions: 3 })).toEqual([
      { rule: 'drop_from_mean', threshold: 4, mean: 36.33, sessions: 3, total: 32 },
    ]);
    const off = {
      ...rules,
      flags: { ...rules.flags, totalBelow: null, itemBelow: null, dropFromPrevious: null, dropFromMean: null },
    };
    expect(flagsFor(off, items(0, 0, 0, 0), 0, { previous: 40, mean: 40, sessions: 9 })).toEqual([]);
    const srs = { ...rules, flags: { ...rules.flags, ...SRS_CUTOFFS } };
    expect(flagsFor(srs, items(8.5, 9.2, 8.8, 9), 35.5, none).map((f) => f.rule)).toEqual([
      'total_below',
      'item_below',
    ]);
  });

  it('reads flags stored before they named their rules as the rules of the time', () => {
    expect(storedFlags('["total_low","item_low","dropped"]', items(9, 8, 9, 9), 35)).toEqual([
      { rule: 'total_below', threshold: 36, total: 35 },
      { rule: 'item_below', threshold: 9, items: [{ id: 'goals', value: 8 }] },
    ]);
  });

  it('tells a session that feedback fatigue skips from one whose client has not been asked yet', () => {
    const row = (clientSeq: number | null, askedAt: number | null = null) => ({ clientSeq, askedAt });
    expect(isSkipped({ mode: 'every' }, 'AAAA', null)).toBe(false);
    expect(isSkipped({ mode: 'nth', n: 3 }, 'AAAA', null)).toBe(false); // not numbered yet: may still be asked
    expect(isSkipped({ mode: 'nth', n: 3 }, 'AAAA', row(1))).toBe(false);
    expect(isSkipped({ mode: 'nth', n: 3 }, 'AAAA', row(2))).toBe(true);
    expect(isSkipped({ mode: 'nth', n: 3 }, 'AAAA', row(2, 5))).toBe(false); // asked after all: the page asked
    expect(isSkipped({ mode: 'share', share: 0 }, 'AAAA', null)).toBe(true);
    expect(isSkipped({ mode: 'share', share: 1 }, 'AAAA', null)).toBe(false);
  });

  it('no row is pending', () => {
    expect(summaryFromRow(null).status).toBe('pending');
  });
});

describe('rating items', () => {
  it('orders items as the instrument does and refuses missing, extra, duplicate and off-scale items', () => {
    expect(checkItems(DEFAULT_INSTRUMENT, [...items(1, 2, 3, 4)].reverse())).toEqual(items(1, 2, 3, 4));
    const bad = [
      items(1, 2, 3, 4).slice(1),
      [...items(1, 2, 3, 4), { id: 'x', value: 1 }],
      [...items(1, 2, 3).slice(0, 3), items(1)[0]!],
      items(1, 2, 3, 10.5),
    ];
    for (const b of bad) expect(() => checkItems(DEFAULT_INSTRUMENT, b)).toThrow(ApiFailure);
    expect(() => checkItems({ ...DEFAULT_INSTRUMENT, step: 0.5 }, items(1, 2, 3, 4.2))).toThrow(ApiFailure);
  });
});

describe('platform settings', () => {
  it('merges cue and flag overrides over the defaults and finds registered instruments', () => {
    const s = parsePlatformSettings(
      JSON.stringify({
        cues: { monologueSeconds: 60 },
        flags: { totalBelow: 30 },
        instruments: [{ ...DEFAULT_INSTRUMENT, id: 'srs-licensed' }],
      }),
    );
    expect(cueSettingsFor(s).monologueSeconds).toBe(60);
    expect(cueSettingsFor(s).minGapSeconds).toBe(180);
    expect(instrumentFor(s, undefined)?.flags).toEqual({ ...DEFAULT_INSTRUMENT.flags, totalBelow: 30 });
    expect(instrumentFor(s, 'srs-licensed')?.id).toBe('srs-licensed');
    expect(instrumentFor(s, 'unknown')).toBeNull();
    expect(() => parsePlatformSettings('{"cues":{"monologueSeconds":"x"}}')).toThrow();
  });

  it('reads settings stored before the relative rules: a drop switch and an instrument without the mean rule', () => {
    const legacy = {
      ...DEFAULT_INSTRUMENT,
      id: 'srs-licensed',
      flags: { totalBelow: 36, itemBelow: 9, dropFromPrevious: true },
    };
    const s = parsePlatformSettings(JSON.stringify({ flags: { dropFromPrevious: false }, instruments: [legacy] }));
    expect(instrumentFor(s, undefined)?.flags.dropFromPrevious).toBeNull();
    expect(instrumentFor(s, 'srs-licensed')?.flags).toEqual({
      totalBelow: 36,
      itemBelow: 9,
      dropFromPrevious: null,
      dropFromMean: null,
      meanWindow: 10,
      meanMinSessions: 3,
    });
    const off = parsePlatformSettings(
      JSON.stringify({ flags: { totalBelow: false, itemBelow: null, dropFromMean: false } }),
    );
    expect(instrumentFor(off, undefined)?.flags).toMatchObject({
      totalBelow: null,
      itemBelow: null,
      dropFromMean: null,
      dropFromPrevious: 4,
    });
    const on = parsePlatformSettings(JSON.stringify({ instruments: [legacy] }));
    expect(instrumentFor(on, 'srs-licensed')?.flags).toMatchObject({
      totalBelow: 36,
      itemBelow: 9,
      dropFromPrevious: 4,
      dropFromMean: null,
    });
  });
});

describe('queries', () => {
  it('getActiveKey skips revoked keys; isOriginRegistered is per platform', async () => {
    const p = await seedPlatform({ origins: ['https://q.example'] });
    expect(await q.getActiveKey(env.DB, p.kid)).toMatchObject({
      kid: p.kid,
      platformId: p.platformId,
      alg: 'EdDSA',
      secret: null,
    });
    await env.DB.prepare('UPDATE platform_keys SET revoked_at = 1 WHERE kid = ?1').bind(p.kid).run();
    expect(await q.getActiveKey(env.DB, p.kid)).toBeNull();
    expect(await q.isOriginRegistered(env.DB, 'https://q.example')).toBe(true);
    expect(await q.isOriginRegistered(env.DB, 'https://q.example', p.platformId)).toBe(true);
    expect(await q.isOriginRegistered(env.DB, 'https://q.example', 'plt_other')).toBe(false);
  });

  it('a second rating for a session fails its whole batch', async () => {
    const p = await seedPlatform();
    const s = { platformId: p.platformId, sidHash: 'h-sid', therapistHash: 'h-tid', clientHash: 'h-cid' };
    const session = q.upsertSession(env.DB, {
      ...s,
      instrumentId: 'i',
      instrumentVersion: 1,
      scheduledStart: null,
      scheduledEnd: null,
      now: 1,
    });
    const rating = (n: number) =>
      q.insertRating(env.DB, s, {
        status: 'rated',
        instrumentId: 'i',
        instrumentVersion: 1,
        items: '[]',
        total: n,
        maxTotal: 40,
        flags: '[]',
        ratedAt: n,
      });
    await env.DB.batch([session, rating(1)]);
    await expect(
      env.DB.batch([
        session,
        rating(2),
        q.insertIdempotency(env.DB, {
          platformId: p.platformId,
          key: 'k'.repeat(16),
          scope: 's',
          requestHash: 'h',
          status: 201,
          body: '{}',
          now: 2,
        }),
      ]),
    ).rejects.toThrow(/UNIQUE/);
    expect(await q.getIdempotency(env.DB, p.platformId, 's', 'k'.repeat(16))).toBeNull();
    expect((await q.getSummaryRow(env.DB, p.platformId, 'h-sid'))?.total).toBe(1);
    const history = (therapistHash: string) =>
      q.clientHistory(env.DB, {
        platformId: p.platformId,
        clientHash: 'h-cid',
        therapistHash,
        instrumentId: 'i',
        sidHash: 'h-next',
        window: 10,
      });
    expect(await history('h-tid')).toEqual({ previous: 1, mean: 1, sessions: 1 });
    expect(await history('h-other')).toEqual({ previous: null, mean: null, sessions: 0 });
  });

  it('rating, pacing and the guarded idempotency record go only into a session row with the same participants', async () => {
    const p = await seedPlatform();
    const s = { platformId: p.platformId, sidHash: 'g-sid', therapistHash: 'g-tid', clientHash: 'g-cid' };
    const other = { ...s, clientHash: 'g-intruder' };
    await q
      .upsertSession(env.DB, {
        ...s,
        instrumentId: 'i',
        instrumentVersion: 1,
        scheduledStart: null,
        scheduledEnd: null,
        now: 1,
      })
      .run();
    const record = {
      status: 'rated' as const,
      instrumentId: 'i',
      instrumentVersion: 1,
      items: '[]',
      total: 3,
      maxTotal: 40,
      flags: '[]',
      ratedAt: 2,
    };
    const idem = q.insertIdempotency(
      env.DB,
      { platformId: p.platformId, key: 'g'.repeat(16), scope: 's', requestHash: 'h', status: 201, body: '{}', now: 2 },
      other,
    );
    const results = await env.DB.batch([
      q.insertRating(env.DB, other, record),
      q.insertPacing(
        env.DB,
        other,
        {
          durationSeconds: 1,
          therapistTalkSeconds: 0,
          clientTalkSeconds: 0,
          overlapSeconds: 0,
          overlapCount: 0,
          silenceSeconds: 0,
          silenceCount: 0,
          longestSilenceSeconds: 0,
          longestTherapistTurnSeconds: 0,
          therapistTurns: 0,
          clientTurns: 0,
          cuesShown: 0,
        },
        2,
      ),
      idem,
    ]);
    expect(results.map((r) => r.meta.changes)).toEqual([0, 0, 0]);
    expect(await q.getIdempotency(env.DB, p.platformId, 's', 'g'.repeat(16))).toBeNull();
    expect((await env.DB.batch([q.insertRating(env.DB, s, record)]))[0]!.meta.changes).toBeGreaterThan(0); // the rollup triggers count too
    expect(
      await env.DB.prepare('SELECT client_hash FROM ratings WHERE platform_id = ?1')
        .bind(p.platformId)
        .first('client_hash'),
    ).toBe('g-cid');
  });

  it('an HS256 key needs a 32-byte secret and no JWK (schema CHECK)', async () => {
    const p = await seedPlatform();
    await expect(
      q.insertKey(env.DB, { kid: 'k_short', platformId: p.platformId, alg: 'HS256', secret: 'short', now: 1 }).run(),
    ).rejects.toThrow(/CHECK/);
    await expect(
      q
        .insertKey(env.DB, {
          kid: 'k_none',
          platformId: p.platformId,
          alg: 'none' as never,
          secret: 's'.repeat(40),
          now: 1,
        })
        .run(),
    ).rejects.toThrow(/CHECK/);
  });
});

describe('issue 4 modules', () => {
  it('trendFrom orders the series oldest first and turns rollup sums (hundredths, millionths) into means', async () => {
    const { trendFrom, talkShare, dayOf } = await import('../../worker/summary/trend.ts');
    const series = [
      { createdAt: 300, ratedAt: null, total: null, items: null, therapistTalk: 10, clientTalk: 30 },
      {
        createdAt: 200,
        ratedAt: 260,
        total: 30.5,
        items: '[{"id":"bond","value":7.6}]',
        therapistTalk: null,
        clientTalk: null,
      },
    ];
    expect(trendFrom(series, { rated: 4, totalSum: 12_345, shareSum: 1_600_000, shareN: 4 }, 90)).toEqual({
      client: [
        { at: 260, total: 30.5, items: [{ id: 'bond', value: 7.6 }], therapistShare: null },
        { at: 300, total: null, items: [], therapistShare: 0.25 },
      ],
      therapist: { days: 90, sessions: 4, meanTotal: 30.86, meanTherapistShare: 0.4 },
    });
    expect(trendFrom([], { rated: 0, totalSum: 0, shareSum: 0, shareN: 0 }, 7).therapist).toEqual({
      days: 7,
      sessions: 0,
      meanTotal: null,
      meanTherapistShare: null,
    });
    expect(talkShare(0, 0)).toBeNull();
    expect(dayOf(86_399)).toBe(0);
    expect(dayOf(86_400)).toBe(1);
  });

  it('summaryRank orders what a summary knows; weekStart finds the Monday', async () => {
    const { summaryRank } = await import('../../worker/live/session-live.ts');
    const { weekStart, dayFromDate, dateOfDay } = await import('../../worker/admin/reports/range.ts');
    const base = { instrument: null, items: [], total: null, maxTotal: null, flags: [], ratedAt: null };
    expect(summaryRank({ ...base, status: 'pending', pacing: null })).toBe(0);
    expect(summaryRank({ ...base, status: 'pending', pacing: {} as never })).toBe(1);
    expect(summaryRank({ ...base, status: 'rated', pacing: null })).toBe(2);
    expect(summaryRank({ ...base, status: 'declined', pacing: {} as never })).toBe(3);
    for (const d of ['2026-01-05', '2026-01-07', '2026-01-11'])
      expect(dateOfDay(weekStart(dayFromDate(d)!))).toBe('2026-01-05');
    expect(dateOfDay(weekStart(dayFromDate('1970-01-01')!))).toBe('1969-12-29');
  });
});
