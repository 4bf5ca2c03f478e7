import { describe, expect, it } from 'vitest';
import { EventWindow, RollingTalk } from '../../pacing/rolling.ts';

describe('RollingTalk', () => {
  it('forgets talk older than its window', () => {
    const r = new RollingTalk(10);
    for (let t = 0; t < 10_000; t += 100) r.add(t, 100, 0);
    expect(r.share()).toBe(1);
    for (let t = 10_000; t < 15_000; t += 100) r.add(t, 0, 100);
    expect(r.therapistMs).toBeCloseTo(5000, 6);
    expect(r.clientMs).toBeCloseTo(5000, 6);
    expect(r.share()).toBeCloseTo(0.5, 6);
  });

  it('survives a jump longer than the window', () => {
    const r = new RollingTalk(10);
    r.add(0, 500, 500);
    r.add(60_000, 100, 0);
    expect(r.therapistMs).toBe(100);
    expect(r.clientMs).toBe(0);
  });

  it('has no share before anyone spoke', () => {
    expect(new RollingTalk(5).share()).toBeNull();
  });
});

describe('EventWindow', () => {
  it('counts events after a time', () => {
    const w = new EventWindow(4);
    for (const t of [1, 2, 3, 4, 5]) w.push(t);
    expect(w.countAfter(2)).toBe(3);
    expect(w.countAfter(0)).toBe(4); // capacity 4: the oldest is gone
  });
});
