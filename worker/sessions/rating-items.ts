import type { Instrument } from '../../schemas/index.ts';
import { ApiFailure } from '../http/errors.ts';
import type { ItemValue } from '../summary/build-summary.ts';

/** Decimals of a step (0.1 -> 1, 0.25 -> 2, 1 -> 0), at most 10: enough to print a grid point exactly. */
export function decimalsOf(step: number): number {
  for (let d = 0; d < 10; d++) if (Math.abs(step * 10 ** d - Math.round(step * 10 ** d)) < 1e-9) return d;
  return 10;
}

/** The grid point `min + k·step` as the shortest decimal (7, not 7.000000000000001), never -0. */
export function gridPoint(instrument: Instrument, k: number): number {
  const d = decimalsOf(instrument.step) + decimalsOf(instrument.min);
  return Number((instrument.min + k * instrument.step).toFixed(Math.min(d, 10))) + 0;
}

/** The highest value a client can give: the last grid point at or below max. */
export function topGridPoint(instrument: Instrument): number {
  return gridPoint(instrument, Math.floor((instrument.max - instrument.min) / instrument.step + 1e-9));
}

/**
 * The submitted items in the instrument's order, each item exactly once, each value within the
 * instrument's range and on its step (within a float tolerance), snapped to the grid point it stands for:
 * 7.00000005 is stored as 7 and 1e-320 as 0. 422 otherwise (messages name no value).
 */
export function checkItems(instrument: Instrument, items: readonly ItemValue[]): ItemValue[] {
  const byId = new Map<string, number>();
  for (const item of items) {
    if (byId.has(item.id)) throw new ApiFailure(422, 'invalid_items', 'An item appears more than once.');
    byId.set(item.id, item.value);
  }
  if (byId.size !== instrument.items.length)
    throw new ApiFailure(422, 'invalid_items', 'Every item of the instrument must be rated exactly once.');
  return instrument.items.map((def) => {
    const value = byId.get(def.id);
    if (value === undefined)
      throw new ApiFailure(422, 'invalid_items', 'Every item of the instrument must be rated exactly once.');
    const steps = (value - instrument.min) / instrument.step;
    const k = Math.round(steps);
    // Snapped first, so the range check sees the grid point (10.00000001 is 10, -1e-12 is 0).
    if (!(Math.abs(steps - k) <= 1e-6) || k < 0 || gridPoint(instrument, k) > instrument.max) {
      throw new ApiFailure(422, 'invalid_items', 'An item value is outside the instrument’s scale.');
    }
    return { id: def.id, value: gridPoint(instrument, k) };
  });
}
