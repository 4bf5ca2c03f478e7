import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/index.ts';
import { ApiFailure } from '../../../worker/http/errors.ts';
import { checkItems } from '../../../worker/sessions/rating-items.ts';

const items = (...values: number[]) => DEFAULT_INSTRUMENT.items.map((it, i) => ({ id: it.id, value: values[i]! }));

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
