// A random week of therapists' rated sessions on up to three instruments, for the second-reader property tests.
import fc from 'fast-check';
import { instrumentKey } from '../../../worker/admin/instrument-choice.ts';
import type { WeekCells } from '../../../worker/admin/reports/report.ts';

const key = (id: string) => instrumentKey({ id, version: 1 });

export interface RandomWeekOptions {
  minInstruments: 1 | 2 | 3;
  /** The most sessions (and clients) one therapist has on one instrument. */
  maxSessions: number;
  maxTherapists: number;
}

/**
 * A week of therapists' rated sessions on `ids` (x, y, z: version 1; a part may be 0, a therapist has some); distinct
 * clients per part at most its sessions. Sessions lean small, so cells sit around the suppression threshold.
 */
export function randomWeek(o: RandomWeekOptions): fc.Arbitrary<{ ids: string[]; week: WeekCells }> {
  return fc
    .record({
      instruments: fc.integer({ min: o.minInstruments, max: 3 }),
      cells: fc.array(
        fc.array(
          fc.record({
            n: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: o.maxSessions })),
            c: fc.nat(o.maxSessions),
            mean: fc.integer({ min: 0, max: 40 }),
          }),
          { minLength: 3, maxLength: 3 },
        ),
        { minLength: 1, maxLength: o.maxTherapists },
      ),
    })
    .map(({ instruments, cells }) => {
      const ids = ['x', 'y', 'z'].slice(0, instruments);
      const rows = cells.map((parts) => parts.slice(0, instruments)).filter((parts) => parts.some((p) => p.n > 0));
      const clientsOf = (p: { n: number; c: number }) => (p.n === 0 ? 0 : 1 + (p.c % p.n));
      const clients = (parts: { n: number; c: number }[]) => parts.reduce((s, p) => s + clientsOf(p), 0);
      const week: WeekCells = {
        week: 2930,
        key: '2026-03-02',
        clients: { ratedClients: clients(rows.flat()), shareClients: 0 },
        instrumentClients: new Map(ids.map((id, j) => [key(id), clients(rows.map((r) => r[j]!))])),
        cells: rows.map((parts, i) => {
          const rated = parts.reduce((s, p) => s + p.n, 0);
          return {
            key: `t_${i}`,
            sums: { asked: rated, rated, declined: 0, flagged: 0, shareSum: 0, shareN: 0 },
            clients: { ratedClients: clients(parts), shareClients: 0 },
            instruments: new Map(
              parts.flatMap((p, j) =>
                p.n === 0
                  ? []
                  : [[key(ids[j]!), { rated: p.n, totalSum: p.n * p.mean * 100, ratedClients: clientsOf(p) }] as const],
              ),
            ),
          };
        }),
      };
      return { ids, week };
    });
}
