import { describe, expect, it } from 'vitest';
import { jsonMergePatch } from '../../scripts/json-merge-patch.ts';

describe('jsonMergePatch (RFC 7396, as json_patch applies settings patches)', () => {
  it('gives the results of the RFC’s appendix A', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [
        ['a', 'b'],
        ['c', 'd'],
        ['c', 'd'],
      ],
      [{ a: 'b' }, ['c'], ['c']],
      [{ a: 'foo' }, null, null],
      [{ a: 'foo' }, 'bar', 'bar'],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, result] of cases) expect(jsonMergePatch(target, patch)).toEqual(result);
  });

  it('leaves the target as it was', () => {
    const target = { flags: { totalBelow: 20 }, ask: { mode: 'every' } };
    jsonMergePatch(target, { flags: { totalBelow: null }, ask: null });
    expect(target).toEqual({ flags: { totalBelow: 20 }, ask: { mode: 'every' } });
  });
});
