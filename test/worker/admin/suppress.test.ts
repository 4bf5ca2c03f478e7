import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_CLIENTS, type SuppressOptions, suppress } from '../../../worker/admin/reports/suppress.ts';

describe('suppress() on a line of a table', () => {
  it('never takes a fixed cell as a complement', () => {
    expect(suppress([5, 20, 30], 11, undefined, { fixed: [false, true, false] }).cells).toEqual([true, false, true]);
  });
  it('hides a hideable total when no cell can go with a lone suppressed cell', () => {
    const margin = { hidden: false, hideable: true };
    expect(suppress([5, 20], 11, undefined, { fixed: [false, true], margin })).toEqual({
      cells: [true, false],
      total: true,
    });
  });
  it('beside a suppressed total one suppressed cell is enough, and none is not', () => {
    const margin = { hidden: true, hideable: false };
    expect(suppress([5, 20, 30], 11, undefined, { margin }).cells).toEqual([true, false, false]);
    expect(suppress([20, 30], 11, undefined, { margin }).cells).toEqual([true, false]);
  });
  it('with ownCells, the hidden cells less any one of them still cover a small cell with another', () => {
    // 3 and its complement 12 would do for an outsider; 12's own holder would find the 3: 30 goes too.
    expect(suppress([3, 12, 30, 40], 11, undefined, { ownCells: true })).toEqual({
      cells: [true, true, true, false],
      total: false,
    });
    // Only two cells: each holder would find the other's, so the total goes.
    expect(suppress([3, 30], 11, undefined, { ownCells: true })).toEqual({ cells: [true, true], total: true });
    // A cell of 20 sessions of 2 clients, with a complement of 20, and another: the rest rests on 10 clients.
    const clients = { cells: [2, 10, 10, 10], total: 32 };
    expect(suppress([20, 20, 20, 30], 11, clients, { ownCells: true })).toEqual({
      cells: [true, true, true, false],
      total: false,
    });
  });
});

const line = fc
  .array(
    fc.record({
      n: fc.oneof(fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 60 })),
      clients: fc.integer({ min: 0, max: 30 }),
      forced: fc.boolean(),
      fixed: fc.boolean(),
    }),
    { maxLength: 7 },
  )
  .chain((cells) =>
    fc.record({
      cells: fc.constant(cells),
      min: fc.constantFrom(11, 5),
      clientsTotal: fc.option(fc.integer({ min: 0, max: 80 }), { nil: undefined }),
      margin: fc.option(fc.record({ hidden: fc.boolean(), hideable: fc.boolean() }), { nil: undefined }),
    }),
  );

describe('suppress() over random lines', () => {
  it('keeps what is hidden hidden, takes complements smallest first, and leaves no hidden cell recoverable', () => {
    fc.assert(
      fc.property(line, ({ cells, min, clientsTotal, margin }) => {
        const counts = cells.map((c) => c.n);
        const clients =
          clientsTotal === undefined ? undefined : { cells: cells.map((c) => c.clients), total: clientsTotal };
        const options: SuppressOptions = {
          forced: cells.map((c) => c.forced),
          fixed: cells.map((c) => c.fixed),
          margin,
        };
        const r = suppress(counts, min, clients, options);

        const primary = (i: number) =>
          counts[i]! < min || (clients !== undefined && clients.cells[i]! < MIN_CLIENTS) || cells[i]!.forced;
        const hidden = counts.flatMap((_, i) => (r.cells[i] ? [i] : []));
        const open = counts.flatMap((_, i) => (!r.cells[i] && !cells[i]!.fixed ? [i] : []));
        const complements = hidden.filter((i) => !primary(i));
        for (const i of counts.keys()) if (primary(i)) expect(r.cells[i]).toBe(true);
        for (const i of complements) {
          expect(cells[i]!.fixed).toBe(false);
          for (const j of open) expect(counts[i]).toBeLessThanOrEqual(counts[j]!);
        }

        const totalPrimary =
          margin?.hidden === true ||
          counts.reduce((s, n) => s + n, 0) < min ||
          (clients !== undefined && clients.total < MIN_CLIENTS);
        if (totalPrimary) expect(r.total).toBe(true);
        const totalComplement = r.total && !totalPrimary;
        if (totalComplement) expect([margin?.hideable, hidden.length > 0, open]).toEqual([true, true, []]);

        // A published total less the published cells gives the hidden cells' sum: it must cover two cells or more,
        // resting on min sessions and (by its largest cell) the client floor. Without `margin` this holds whatever
        // the total's fate; a hidden total needs just one hidden cell. Either may fail only when nothing is left.
        const exposed = (h: number[], totalHidden: boolean) =>
          margin !== undefined && totalHidden
            ? h.length === 0
            : h.length > 0 &&
              (h.length === 1 ||
                h.reduce((s, i) => s + counts[i]!, 0) < min ||
                (clients !== undefined && Math.max(...h.map((i) => clients.cells[i]!)) < MIN_CLIENTS));
        if (exposed(hidden, r.total)) expect([open, margin?.hideable === true && !r.total]).toEqual([[], false]);

        // Each complement was needed: the line without the last one taken (the largest, the latest index among
        // equals) was exposed.
        const last = complements.reduce((a, i) => (a < 0 || counts[i]! >= counts[a]! ? i : a), -1);
        if (last >= 0 && !totalComplement)
          expect(
            exposed(
              hidden.filter((i) => i !== last),
              r.total,
            ),
          ).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('suppress() with ownCells over random lines', () => {
  it('leaves no small cell that one holder, less their own, could find beside a published total', () => {
    fc.assert(
      fc.property(line, ({ cells, min, clientsTotal }) => {
        const counts = cells.map((c) => c.n);
        const clients =
          clientsTotal === undefined ? undefined : { cells: cells.map((c) => c.clients), total: clientsTotal };
        const forced = cells.map((c) => c.forced);
        const r = suppress(counts, min, clients, { forced, ownCells: true });
        const primary = (i: number) =>
          counts[i]! < min || (clients !== undefined && clients.cells[i]! < MIN_CLIENTS) || forced[i]!;
        const hidden = counts.flatMap((_, i) => (r.cells[i] ? [i] : []));
        for (const i of counts.keys()) if (primary(i)) expect(r.cells[i]).toBe(true);
        if (r.total) return;
        const tooSmall = (h: number[]) =>
          h.length === 1 ||
          h.reduce((s, i) => s + counts[i]!, 0) < min ||
          (clients !== undefined && Math.max(...h.map((i) => clients.cells[i]!)) < MIN_CLIENTS);
        // An outsider: the total less the published cells.
        if (hidden.length > 0) expect(tooSmall(hidden)).toBe(false);
        // Each holder of a hidden cell, less their own.
        for (const own of hidden) {
          const rest = hidden.filter((i) => i !== own);
          if (rest.some(primary)) expect([own, tooSmall(rest)]).toEqual([own, false]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
