import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUDGETS_GZIP, checkBudgets } from '../../scripts/widget-budgets.ts';

const out = (imports: Array<[string, 'import-statement' | 'dynamic-import']>) => ({
  bytes: 0,
  inputs: {},
  exports: [],
  imports: imports.map(([path, kind]) => ({ path, kind })),
});
// widget.js; client -> client-shared (static) and client-lazy (dynamic); therapist alone.
const meta = {
  inputs: {},
  outputs: {
    'w.js': out([]),
    'c.js': out([
      ['cs.js', 'import-statement'],
      ['cl.js', 'dynamic-import'],
    ]),
    'cs.js': out([]),
    'cl.js': out([]),
    't.js': out([]),
  },
} as unknown as Metafile;
const sizes: Record<string, number> = { 'w.js': 1000, 'c.js': 5000, 'cs.js': 4000, 'cl.js': 9000, 't.js': 20_000 };

describe('widget size budgets', () => {
  it('are 10,240 B (client), 28 KB (therapist) and 16 KB (caseload, its own loader) gzip', () => {
    expect(BUDGETS_GZIP).toEqual({ client: 10_240, therapist: 28_672, caseload: 16_384 });
  });

  it('count a role’s own loader when it has one (the caseload page loads caseload.js, not widget.js)', () => {
    const withCaseload = {
      inputs: {},
      outputs: { ...meta.outputs, 'cl-loader.js': out([]), 'k.js': out([['cs.js', 'import-statement']]) },
    } as unknown as Metafile;
    const all: Record<string, number> = { ...sizes, 'cl-loader.js': 300, 'k.js': 7000 };
    const r = checkBudgets(
      withCaseload,
      'w.js',
      { client: 'c.js', therapist: 't.js', caseload: 'k.js' },
      (f) => all[f]!,
      BUDGETS_GZIP,
      {
        caseload: 'cl-loader.js',
      },
    );
    expect(r.find((b) => b.role === 'caseload')).toMatchObject({ gzip: 11_300, ok: true });
    expect(r.find((b) => b.role === 'caseload')!.files.sort()).toEqual(['cl-loader.js', 'cs.js', 'k.js']);
  });

  it('count the loader and the static imports, not lazy chunks', () => {
    const [client, therapist] = checkBudgets(meta, 'w.js', { client: 'c.js', therapist: 't.js' }, (f) => sizes[f]!);
    expect(client).toMatchObject({ role: 'client', gzip: 10_000, ok: true });
    expect(client!.files.sort()).toEqual(['c.js', 'cs.js', 'w.js']);
    expect(therapist).toMatchObject({ role: 'therapist', gzip: 21_000, ok: true });
  });

  it('fail a role one byte over its budget', () => {
    const r = checkBudgets(meta, 'w.js', { client: 'c.js', therapist: 't.js' }, (f) => sizes[f]!, {
      client: 9_999,
      therapist: 21_000,
    });
    expect(r.map((b) => b.ok)).toEqual([false, true]);
  });
});
