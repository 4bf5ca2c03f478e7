// Dev-only D1 fault injection for the browser fault suite (test/browser/outbox-faults.test.ts). Mounted under
// /dev, which answers only when DEV_MODE === '1'; the patch below is installed only by a request to it.
//
//   POST /dev/faults {"mode":"before"|"after","count":N}  the next N D1 batches that insert a rating fail: before
//                                                          they run, or after they commit (the answer is lost)
//   POST /dev/faults {"count":0}                           disarm
import { Hono } from 'hono';
import * as v from 'valibot';
import { readJson } from '../http/body.ts';
import type { AppEnv } from '../env.ts';

const Arm = v.object({
  mode: v.optional(v.picklist(['before', 'after']), 'before'),
  count: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)),
});

let armed = { mode: 'before' as 'before' | 'after', count: 0 };
const patched = new WeakSet<object>();

/** Wraps D1's batch (on the binding's prototype, shared by every request of this isolate) once. */
function patch(db: D1Database): void {
  const proto = Object.getPrototypeOf(db) as { batch: D1Database['batch'] };
  if (patched.has(proto)) return;
  patched.add(proto);
  const batch = proto.batch;
  proto.batch = async function (this: D1Database, statements: D1PreparedStatement[]) {
    const hit =
      armed.count > 0 &&
      statements.some((s) => /INSERT INTO ratings/.test(String((s as { statement?: unknown }).statement)));
    if (!hit) return batch.call(this, statements);
    armed.count--;
    if (armed.mode === 'before') throw new Error('D1_ERROR: injected write failure (dev fault hook)');
    await batch.call(this, statements);
    throw new Error('D1_ERROR: injected failure after commit (dev fault hook)');
  } as D1Database['batch'];
}

export const devFaults = new Hono<AppEnv>().post('/', async (c) => {
  const body = await readJson(c, Arm);
  patch(c.env.DB);
  armed = { mode: body.mode, count: body.count };
  return c.json(armed);
});
