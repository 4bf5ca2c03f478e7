import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import type { PaceWeek } from '../../../schemas/caseload.ts';
import { PACE_BOX, PaceChart, paceGeometry } from '../../../widget/caseload/pace-chart.tsx';

const week = (meanTotal: number, meanShare: number, i: number): PaceWeek => ({
  start: i * 7 * 86_400,
  sessions: 5,
  meanTotal,
  meanShare,
  meanLongestTurnSeconds: 60,
  meanOverlaps: 3,
});

describe('the pace chart', () => {
  it('puts ratings on the whole scale above and talk shares on 0..100 % below, on one time axis', () => {
    const g = paceGeometry([week(40, 1, 0), week(0, 0, 1), week(20, 0.5, 2)], 40, 0.6);
    expect(g.dots.map((d) => d.y)).toEqual([g.rating.top, g.rating.bottom, (g.rating.top + g.rating.bottom) / 2]);
    expect(g.bars[0]!.y).toBe(g.share.top);
    expect(g.bars[1]!.h).toBe(0);
    expect(g.bars[2]!.h).toBe(PACE_BOX.panel / 2);
    expect(g.thresholdY).toBeCloseTo(g.share.bottom - 0.6 * PACE_BOX.panel, 1);
    // Bars are centred under the dots, weeks left to right.
    expect(g.bars.map((b) => b.x + b.w / 2)).toEqual(g.dots.map((d) => d.x));
    expect(g.dots[0]!.x).toBeLessThan(g.dots[1]!.x);
    expect(g.share.top).toBeGreaterThan(g.rating.bottom);
  });

  it('is one named image whose scale labels are hidden from screen readers', () => {
    const el = document.createElement('div');
    render(
      <PaceChart
        weeks={[week(30, 0.55, 0), week(28, 0.7, 1)]}
        maxTotal={40}
        threshold={0.6}
        label="Weekly means"
        format={String}
        percent={(s) => `${s * 100}%`}
      />,
      el,
    );
    const svg = el.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('Weekly means');
    expect(svg.querySelector('.scale')!.getAttribute('aria-hidden')).toBe('true');
    expect(svg.querySelectorAll('rect.bar')).toHaveLength(2);
    expect(svg.querySelectorAll('circle.dot')).toHaveLength(2);
  });
});
