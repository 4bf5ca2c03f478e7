import type { ComponentChildren } from 'preact';

export interface ScaleBandProps {
  /** The plot's left and right edges (the labels sit in the gutter left of `left`). */
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** The values at the top and at the bottom, formatted. */
  high: ComponentChildren;
  low: ComponentChildren;
}

/** A chart's value band: an axis line at its top and bottom, each labelled with its value in the left gutter. */
export function ScaleBand({ left, right, top, bottom, high, low }: ScaleBandProps) {
  return (
    <>
      <line class="axis" x1={left} x2={right} y1={top} y2={top} />
      <line class="axis" x1={left} x2={right} y1={bottom} y2={bottom} />
      <text x={left - 4} y={top + 4} text-anchor="end">
        {high}
      </text>
      <text x={left - 4} y={bottom + 4} text-anchor="end">
        {low}
      </text>
    </>
  );
}
