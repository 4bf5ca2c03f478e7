// The seeded generator and the bulk seed's session schedule (scripts/lib-rng.ts, bench/lib/seed-d1.ts): the same
// data every run, in primary-key order, each therapist's sessions evenly over the days, round-robin over clients.
import { describe, expect, it } from 'vitest';
import { benchCid, benchSid, benchTid, sessionsInKeyOrder } from '../../bench/lib/seed-d1.ts';
import { rng } from '../../scripts/lib-rng.ts';

describe('rng (mulberry32)', () => {
  it('keeps the sequence the fixtures and bench seeds were made with, the same for the same seed', () => {
    expect(rng(0)()).toBe(0.26642920868471265);
    const a = rng(42);
    const b = rng(42);
    const first = [a(), a(), a()];
    expect(first).toEqual([b(), b(), b()]);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(first).size).toBe(3);
  });
});

describe('sessionsInKeyOrder', () => {
  const shape = { sessions: 60, therapists: 3, clientsPerTherapist: 4, days: 10 };
  const start = 1_700_000_000;
  const rows = [...sessionsInKeyOrder(shape, start)];

  it('yields every session once, sorted by its sid hash', () => {
    expect(rows.map((r) => r.i).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    const sids = rows.map((r) => r.sid);
    expect(sids).toEqual([...sids].sort());
    for (const r of rows) {
      expect(r.sid).toBe(benchSid(r.i));
      expect(r.tid).toBe(benchTid(r.therapist));
      expect(r.cid).toBe(benchCid(r.therapist, r.client));
    }
  });

  it('spreads each therapist’s sessions evenly over the days, round-robin over their clients', () => {
    const first = rows.filter((r) => r.therapist === 1).sort((x, y) => x.k - y.k);
    expect(first.map((r) => r.k)).toEqual(Array.from({ length: 20 }, (_, k) => k));
    expect(first.map((r) => r.client)).toEqual(Array.from({ length: 20 }, (_, k) => k % 4));
    expect(first[0]!.at).toBe(start + 1);
    expect(first[10]!.at).toBe(start + 5 * 86_400 + 1);
    expect(Math.max(...rows.map((r) => r.at))).toBeLessThan(start + 10 * 86_400 + 600);
  });
});
