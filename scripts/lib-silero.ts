// Node-only: the Silero VAD v5 reference (model shipped by @ricky0123/vad-web, run with onnxruntime-web's
// WebAssembly backend on one thread; nothing is downloaded at run time). 16 kHz input, 512-sample (32 ms)
// frames with 64 samples of context, as silero-vad's own OnnxWrapper does.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-web';

const require = createRequire(import.meta.url);
export const SILERO_FRAME = 512;
export const SILERO_RATE = 16000;
const CONTEXT = 64;

let sessionPromise: Promise<ort.InferenceSession> | null = null;

function session(): Promise<ort.InferenceSession> {
  if (!sessionPromise) {
    const model = join(dirname(require.resolve('@ricky0123/vad-web/package.json')), 'dist/silero_vad_v5.onnx');
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.wasmPaths = `${dirname(require.resolve('onnxruntime-web'))}/`;
    sessionPromise = ort.InferenceSession.create(readFileSync(model), { executionProviders: ['wasm'] });
  }
  return sessionPromise;
}

/** Speech probability per 32 ms frame of a 16 kHz mono track. */
export async function sileroProbabilities(samples: Float32Array): Promise<Float32Array> {
  const s = await session();
  const frames = Math.floor(samples.length / SILERO_FRAME);
  const out = new Float32Array(frames);
  let state = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SILERO_RATE)]), []);
  const buf = new Float32Array(CONTEXT + SILERO_FRAME);
  for (let f = 0; f < frames; f++) {
    buf.copyWithin(0, SILERO_FRAME); // last 64 samples of the previous frame become the context
    buf.set(samples.subarray(f * SILERO_FRAME, (f + 1) * SILERO_FRAME), CONTEXT);
    const input = new ort.Tensor('float32', buf.slice(), [1, CONTEXT + SILERO_FRAME]);
    const r = await s.run({ input, state, sr });
    state = r.stateN as typeof state;
    out[f] = (r.output!.data as Float32Array)[0]!;
  }
  return out;
}

/** Silero's usual hysteresis: speech from p >= 0.5, stays speech while p >= 0.35. */
export function sileroDecisions(probs: Float32Array, on = 0.5, off = 0.35): Uint8Array {
  const out = new Uint8Array(probs.length);
  let speech = false;
  for (let i = 0; i < probs.length; i++) {
    speech = speech ? probs[i]! >= off : probs[i]! >= on;
    out[i] = speech ? 1 : 0;
  }
  return out;
}
