// The Questionnaire's scale and the Worker's rating check share one grid (worker/sessions/rating-items.ts): the
// maxValue a Questionnaire publishes is the highest value checkItems stores, and one step above it is refused.
// storedRatingOf is the one conversion of a stored rating into what the FHIR mapping takes.
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT, Instrument } from '../../schemas/instrument.ts';
import { PENDING_SUMMARY } from '../../schemas/summary.ts';
import { canonicalScopeOf } from '../../worker/fhir/canonical.ts';
import { EXT, questionnaireOf } from '../../worker/fhir/questionnaire.ts';
import { storedRatingOf } from '../../worker/fhir/questionnaire-response.ts';
import { checkItems, topGridPoint } from '../../worker/sessions/rating-items.ts';

const scope = canonicalScopeOf({}, 'plt_grid');

describe('the grid a Questionnaire publishes', () => {
  it('maxValue is the top grid point: checkItems keeps it, and refuses the next one', () => {
    const instrument = fc
      .record({
        min: fc.integer({ min: -1000, max: 1000 }),
        step: fc.constantFrom(0.1, 0.25, 0.5, 1, 2, 0.01, 5, 0.3, 0.125),
        steps: fc.integer({ min: 1, max: 10_000 }),
        off: fc.constantFrom(0, 0.5, 0.999),
        minDecimals: fc.integer({ min: 0, max: 2 }),
      })
      .map((r) => {
        const min = r.min / 10 ** r.minDecimals;
        return v.parse(Instrument, {
          ...DEFAULT_INSTRUMENT,
          min,
          step: r.step,
          max: Number((min + (r.steps + r.off) * r.step).toFixed(6)),
        });
      });
    fc.assert(
      fc.property(instrument, (ins) => {
        const top = topGridPoint(ins);
        const maxValue = questionnaireOf(ins, scope).item[0]!.extension.find((e) => e.url === EXT.maxValue);
        expect(maxValue?.valueDecimal ?? maxValue?.valueInteger).toBe(top);
        const at = (value: number) => ins.items.map((i) => ({ id: i.id, value }));
        expect(checkItems(ins, at(top)).map((i) => i.value)).toEqual(at(top).map((i) => i.value));
        expect(() => checkItems(ins, at(top + ins.step))).toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('storedRatingOf', () => {
  const items = [{ id: 'a', value: 7 }];
  it('takes a rated or declined session, and nothing else', () => {
    expect(storedRatingOf({ status: 'rated', items, ratedAt: 5 })).toEqual({ status: 'rated', items, ratedAt: 5 });
    expect(storedRatingOf({ status: 'declined', items: [], ratedAt: 5 })).toEqual({ status: 'declined', ratedAt: 5 });
    expect(storedRatingOf(PENDING_SUMMARY)).toBeNull();
    expect(storedRatingOf({ status: null, items: [], ratedAt: null })).toBeNull();
    expect(storedRatingOf({ status: 'rated', items, ratedAt: null })).toBeNull();
  });
});
