// The pieces every hand-drawn SVG chart of the widget shares (the caseload's pace chart, the trend sparkline).
import type { ComponentChildren } from 'preact';

export interface ChartFrameProps {
  class: string;
  /** The accessible name: the chart in one sentence (its table holds the numbers). */
  label: string;
  width: number;
  height: number;
  /** The axis labels, hidden from screen readers (the label says it all); none when null. */
  scale?: ComponentChildren;
  children: ComponentChildren;
}

/** One named image, left to right in every locale, never a tab stop. */
export function ChartFrame({ class: cls, label, width, height, scale, children }: ChartFrameProps) {
  return (
    <svg class={cls} role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} focusable="false" dir="ltr">
      {scale && (
        // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an SVG <g> never takes focus; the axis labels are decoration
        <g class="scale" aria-hidden="true">
          {scale}
        </g>
      )}
      {children}
    </svg>
  );
}

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
