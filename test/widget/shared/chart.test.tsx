import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { ChartFrame, ScaleBand } from '../../../widget/shared/chart.tsx';

describe('ScaleBand', () => {
  it('draws an axis line at the top and at the bottom, each labelled in the gutter left of the plot', () => {
    const el = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    render(<ScaleBand left={28} right={312} top={8} bottom={80} high="40" low="0" />, el);
    const lines = [...el.querySelectorAll('line.axis')].map((l) =>
      ['x1', 'x2', 'y1', 'y2'].map((a) => Number(l.getAttribute(a))),
    );
    expect(lines).toEqual([
      [28, 312, 8, 8],
      [28, 312, 80, 80],
    ]);
    const labels = [...el.querySelectorAll('text')].map((t) => [
      t.textContent,
      Number(t.getAttribute('x')),
      Number(t.getAttribute('y')),
      t.getAttribute('text-anchor'),
    ]);
    expect(labels).toEqual([
      ['40', 24, 12, 'end'],
      ['0', 24, 84, 'end'],
    ]);
  });
});

describe('ChartFrame', () => {
  it('is one named image, left to right, never a tab stop, its scale hidden from screen readers', () => {
    const el = document.createElement('div');
    render(
      <ChartFrame class="spark" label="Totals rising" width={320} height={88} scale={<text>40</text>}>
        <path class="line" d="M0 0" />
      </ChartFrame>,
      el,
    );
    const svg = el.querySelector('svg')!;
    expect(['class', 'role', 'aria-label', 'viewBox', 'focusable', 'dir'].map((a) => svg.getAttribute(a))).toEqual([
      'spark',
      'img',
      'Totals rising',
      '0 0 320 88',
      'false',
      'ltr',
    ]);
    expect(svg.querySelector('g.scale')!.getAttribute('aria-hidden')).toBe('true');
    expect(svg.querySelector('g.scale text')!.textContent).toBe('40');
    expect(svg.querySelector('path.line')).not.toBeNull();
  });

  it('draws no scale group without a scale', () => {
    const el = document.createElement('div');
    render(
      <ChartFrame class="spark" label="Totals" width={320} height={72} scale={null}>
        <path class="line" d="M0 0" />
      </ChartFrame>,
      el,
    );
    expect(el.querySelector('g.scale')).toBeNull();
  });
});
