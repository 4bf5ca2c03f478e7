import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { ScaleBand } from '../../../widget/shared/scale-band.tsx';

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
