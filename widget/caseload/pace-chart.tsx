// The therapist's weeks in one SVG with two panels on one time axis: clients' mean rating (a line on the
// instrument's whole scale, so a drop looks as large as it is) above, the therapist's mean talk share (bars on
// 0..100 %, the talk-balance threshold dashed) below. Hand-drawn like widget/therapist/trend-sparkline.tsx; its
// accessible name is one sentence, and the same numbers are in a table beside it.
import type { PaceWeek } from '../../schemas/caseload.ts';
import { ChartFrame, ScaleBand } from '../shared/chart.tsx';

export interface PaceBox {
  width: number;
  pad: number;
  gutter: number;
  /** Height of each panel, and the gap between them. */
  panel: number;
  gap: number;
}

// 320 wide like the sparkline: on a 360 px phone the 11 px labels stay about 10 px.
export const PACE_BOX: PaceBox = { width: 320, pad: 8, gutter: 30, panel: 64, gap: 26 };

const r1 = (n: number) => Math.round(n * 10) / 10;

export interface PaceGeometry {
  height: number;
  /** The rating line (one path through every week) and its dots. */
  path: string;
  dots: Array<{ x: number; y: number }>;
  bars: Array<{ x: number; y: number; w: number; h: number }>;
  /** y of the threshold line in the share panel. */
  thresholdY: number;
  /** Panel tops and bottoms. */
  rating: { top: number; bottom: number };
  share: { top: number; bottom: number };
}

export function paceGeometry(
  weeks: readonly PaceWeek[],
  maxTotal: number,
  threshold: number,
  box = PACE_BOX,
): PaceGeometry {
  const left = box.pad + box.gutter;
  const inner = box.width - left - box.pad;
  const slot = weeks.length ? inner / weeks.length : inner;
  const x = (i: number) => r1(left + slot * (i + 0.5));
  const rating = { top: box.pad, bottom: box.pad + box.panel };
  const share = { top: rating.bottom + box.gap, bottom: rating.bottom + box.gap + box.panel };
  const yRating = (v: number) => r1(rating.bottom - (Math.min(Math.max(v, 0), maxTotal) / (maxTotal || 1)) * box.panel);
  const yShare = (v: number) => r1(share.bottom - Math.min(Math.max(v, 0), 1) * box.panel);
  const dots = weeks.map((w, i) => ({ x: x(i), y: yRating(w.meanTotal) }));
  const barW = r1(Math.max(2, Math.min(24, slot * 0.6)));
  return {
    height: share.bottom + box.pad,
    path: dots.map((d, i) => `${i ? 'L' : 'M'}${d.x} ${d.y}`).join(''),
    dots,
    bars: weeks.map((w, i) => {
      const y = yShare(w.meanShare);
      return { x: r1(x(i) - barW / 2), y, w: barW, h: r1(share.bottom - y) };
    }),
    thresholdY: yShare(threshold),
    rating,
    share,
  };
}

export interface PaceChartProps {
  weeks: readonly PaceWeek[];
  maxTotal: number;
  threshold: number;
  label: string;
  format: (n: number) => string;
  percent: (share: number) => string;
}

export function PaceChart({ weeks, maxTotal, threshold, label, format, percent }: PaceChartProps) {
  const box = PACE_BOX;
  const g = paceGeometry(weeks, maxTotal, threshold, box);
  const left = box.pad + box.gutter;
  const right = box.width - box.pad;
  return (
    <ChartFrame
      class="pace"
      label={label}
      width={box.width}
      height={g.height}
      scale={
        <>
          <ScaleBand left={left} right={right} {...g.rating} high={format(maxTotal)} low={format(0)} />
          <ScaleBand left={left} right={right} {...g.share} high={percent(1)} low={percent(0)} />
        </>
      }
    >
      {g.bars.map((b) => (
        <rect key={b.x} class="bar" x={b.x} y={b.y} width={b.w} height={b.h} />
      ))}
      <line class="threshold" x1={left} x2={right} y1={g.thresholdY} y2={g.thresholdY} />
      {g.dots.length > 1 && <path class="line" d={g.path} />}
      {g.dots.map((d) => (
        <circle key={d.x} class="dot" cx={d.x} cy={d.y} r={3} />
      ))}
    </ChartFrame>
  );
}
