import type { Instrument } from '../schemas/index.ts';
import { ApiFailure } from './errors.ts';
import type { ItemValue } from './summary.ts';

/**
 * The submitted items in the instrument's order, each item exactly once, each value within the
 * instrument's range and on its step. 422 otherwise (messages name no value).
 */
export function checkItems(instrument: Instrument, items: readonly ItemValue[]): ItemValue[] {
  const byId = new Map<string, number>();
  for (const item of items) {
    if (byId.has(item.id)) throw new ApiFailure(422, 'invalid_items', 'An item appears more than once.');
    byId.set(item.id, item.value);
  }
  if (byId.size !== instrument.items.length) throw new ApiFailure(422, 'invalid_items', 'Every item of the instrument must be rated exactly once.');
  return instrument.items.map((def) => {
    const value = byId.get(def.id);
    if (value === undefined) throw new ApiFailure(422, 'invalid_items', 'Every item of the instrument must be rated exactly once.');
    const steps = (value - instrument.min) / instrument.step;
    if (value < instrument.min || value > instrument.max || Math.abs(steps - Math.round(steps)) > 1e-6) {
      throw new ApiFailure(422, 'invalid_items', 'An item value is outside the instrument’s scale.');
    }
    return { id: def.id, value };
  });
}
