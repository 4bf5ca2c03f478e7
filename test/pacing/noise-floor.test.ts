import { describe, expect, it } from 'vitest';
import { NoiseFloor } from '../../widget/pacing/noise-floor.ts';
import { rng } from './helpers.ts';

describe('NoiseFloor', () => {
  it('stays at the room noise while someone talks over it', () => {
    const f = new NoiseFloor();
    const r = rng(3);
    let floor = 0;
    for (let i = 0; i < 1000; i++) {
      // 20 s: noise at -50 dB, speech at -20 dB most of the time with short word gaps.
      const speech = i % 25 < 21;
      floor = f.update(speech ? -20 + r() * 10 : -50 + r() * 2, (i + 1) * 20);
    }
    expect(floor).toBeGreaterThan(-51);
    expect(floor).toBeLessThan(-47);
  });

  it('rises to a louder room within its window and drops at once when it gets quieter', () => {
    const f = new NoiseFloor(500, 8);
    let t = 0;
    for (let i = 0; i < 300; i++) f.update(-60, (t += 20));
    for (let i = 0; i < 250; i++) f.update(-40, (t += 20)); // 5 s of louder noise
    expect(f.floorDb).toBeCloseTo(-40, 5);
    f.update(-55, (t += 20));
    expect(f.floorDb).toBeCloseTo(-55, 5);
  });
});
