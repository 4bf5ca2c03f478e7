import { describe, expect, it } from 'vitest';
import { NoiseFloor } from '../../pacing/noise-floor.ts';
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

  it('rises to a louder room within its window and drops within a few frames when it gets quieter', () => {
    const f = new NoiseFloor(500, 8);
    let t = 0;
    for (let i = 0; i < 300; i++) {
      t += 20;
      f.update(-60, t);
    }
    for (let i = 0; i < 250; i++) {
      // 5 s of louder noise
      t += 20;
      f.update(-40, t);
    }
    expect(f.floorDb).toBeCloseTo(-40, 5);
    for (let i = 0; i < 3; i++) {
      // 60 ms of a quieter room
      t += 20;
      f.update(-55, t);
    }
    expect(f.floorDb).toBeCloseTo(-55, 5);
  });

  it('ignores isolated near-silent frames (one or two in a row) but follows a quieter room within a second', () => {
    const f = new NoiseFloor();
    const r = rng(5);
    let t = 0;
    let lowest = 0;
    // 20 s of a -40 dB room; every 3 s one or two frames drop to -55 or -120 dB (a device wrapping its file,
    // a packet-loss fade, an unmute).
    for (let i = 0; i < 1000; i++) {
      const k = i % 150;
      const dip = k === 75 || (k === 76 && i % 300 === 76);
      t += 20;
      lowest = Math.min(lowest, f.update(dip ? (i % 450 < 150 ? -120 : -55) : -40 + r() * 2, t));
    }
    expect(lowest).toBeGreaterThan(-41);
    expect(f.floorDb).toBeGreaterThan(-41);
    // The room gets 12 dB quieter and stays so: the floor follows at once.
    for (let i = 0; i < 10; i++) {
      t += 20;
      f.update(-52 + r() * 2, t);
    }
    expect(f.floorDb).toBeLessThan(-50);
  });
});
