// A hand-drawn SVG sparkline of the client's totals: one path (broken where a session was not rated), a dot per
// rated session, this session's dot filled, the therapist's rolling mean as a dashed line, and, when the scale is
// known, its ends written on the axis and the flag line of the total (a floor or a licensed cut-off). No library.
import { ChartFrame, ScaleBand } from '../shared/chart.tsx';

export interface SparkBox {
  width: number;
  height: number;
  pad: number;
  /** Left gutter for the scale's labels (0 without labels). */
  gutter?: number;
  /** The smallest span of the vertical axis, so a change of 0.5 does not look like a cliff. */
  minSpan: number;
  /** The vertical axis never leaves 0..maxTotal when known. */
  maxTotal: number | null;
  /** Draw the whole scale (0..maxTotal) instead of zooming on the values: a drop looks as large as it is. */
  fullScale?: boolean;
}

export interface SparkGeometry {
  /** One `M x y L x y ...` path per run of rated sessions. */
  paths: string[];
  dots: Array<{ x: number; y: number; index: number }>;
  /** y of the reference (mean) line, if any. */
  refY: number | null;
  /** y of the flag line, if any. */
  floorY?: number | null;
  /** The vertical domain drawn. */
  domain?: [number, number];
}

const r1 = (n: number) => Math.round(n * 10) / 10;

export function sparkGeometry(
  values: Array<number | null>,
  ref: number | null,
  box: SparkBox,
  floor: number | null = null,
): SparkGeometry {
  const known = values.filter((x): x is number => x !== null);
  const all = ref === null ? known : [...known, ref];
  if (!known.length) return { paths: [], dots: [], refY: null };
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (box.fullScale && box.maxTotal !== null) {
    [lo, hi] = [0, box.maxTotal];
  } else if (hi - lo < box.minSpan) {
    const mid = (hi + lo) / 2;
    lo = mid - box.minSpan / 2;
    hi = mid + box.minSpan / 2;
    // Keep the span, but inside the scale.
    if (lo < 0) [lo, hi] = [0, box.minSpan];
    if (box.maxTotal !== null && hi > box.maxTotal) [lo, hi] = [Math.max(0, box.maxTotal - box.minSpan), box.maxTotal];
  }
  const left = box.pad + (box.gutter ?? 0);
  const inner = { w: box.width - left - box.pad, h: box.height - 2 * box.pad };
  const x = (i: number) => r1(values.length === 1 ? left + inner.w / 2 : left + (i * inner.w) / (values.length - 1));
  const y = (v: number) => r1(box.pad + ((hi - v) / (hi - lo || 1)) * inner.h);
  const paths: string[] = [];
  const dots: SparkGeometry['dots'] = [];
  let run = '';
  values.forEach((v, i) => {
    if (v === null) {
      if (run) paths.push(run);
      run = '';
      return;
    }
    dots.push({ x: x(i), y: y(v), index: i });
    run += `${run ? 'L' : 'M'}${x(i)} ${y(v)}`;
  });
  if (run) paths.push(run);
  const inDomain = (v: number | null) => v !== null && v >= lo && v <= hi;
  return {
    paths: paths.filter((p) => p.includes('L')),
    dots,
    refY: ref === null ? null : y(ref),
    floorY: inDomain(floor) ? y(floor!) : null,
    domain: [lo, hi],
  };
}

export interface SparklineProps {
  values: Array<number | null>;
  /** Index of this session in `values` (-1: none). */
  current: number;
  mean: number | null;
  maxTotal: number | null;
  /** The flag line of the total (null: none applies). */
  floor?: number | null;
  /** The accessible name: the chart in one sentence. */
  label: string;
  /** Formats the scale's numbers for the locale. */
  format?: (n: number) => string;
}

const BOX: SparkBox = { width: 320, height: 72, pad: 8, minSpan: 4, maxTotal: null };

export function Sparkline({ values, current, mean, maxTotal, floor = null, label, format = String }: SparklineProps) {
  const scaled = maxTotal !== null;
  const box: SparkBox = { ...BOX, maxTotal, ...(scaled ? { fullScale: true, gutter: 20, height: 88 } : {}) };
  const g = sparkGeometry(values, mean, box, floor);
  const left = box.pad + (box.gutter ?? 0);
  return (
    <ChartFrame
      class="spark"
      label={label}
      width={box.width}
      height={box.height}
      scale={
        scaled &&
        g.domain && (
          <ScaleBand
            left={left}
            right={box.width - box.pad}
            top={box.pad}
            bottom={box.height - box.pad}
            high={format(g.domain[1])}
            low={format(g.domain[0])}
          />
        )
      }
    >
      {g.floorY != null && <line class="floor" x1={left} x2={box.width - box.pad} y1={g.floorY} y2={g.floorY} />}
      {g.refY !== null && <line class="mean" x1={left} x2={box.width - box.pad} y1={g.refY} y2={g.refY} />}
      {g.paths.map((d) => (
        <path key={d} class="line" d={d} />
      ))}
      {g.dots.map((d) => (
        <circle
          key={d.index}
          class={d.index === current ? 'dot now' : 'dot'}
          cx={d.x}
          cy={d.y}
          r={d.index === current ? 5 : 3}
        />
      ))}
    </ChartFrame>
  );
}
