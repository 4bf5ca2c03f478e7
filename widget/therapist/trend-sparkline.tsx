// A hand-drawn SVG sparkline of the client's totals: one path (broken where a session was not rated), a dot per
// rated session, this session's dot filled, and the therapist's rolling mean as a dashed line. No chart library.

export interface SparkBox {
  width: number;
  height: number;
  pad: number;
  /** The smallest span of the vertical axis, so a change of 0.5 does not look like a cliff. */
  minSpan: number;
  /** The vertical axis never leaves 0..maxTotal when known. */
  maxTotal: number | null;
}

export interface SparkGeometry {
  /** One `M x y L x y ...` path per run of rated sessions. */
  paths: string[];
  dots: Array<{ x: number; y: number; index: number }>;
  /** y of the reference (mean) line, if any. */
  refY: number | null;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

export function sparkGeometry(values: Array<number | null>, ref: number | null, box: SparkBox): SparkGeometry {
  const known = values.filter((x): x is number => x !== null);
  const all = ref === null ? known : [...known, ref];
  if (!known.length) return { paths: [], dots: [], refY: null };
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < box.minSpan) {
    const mid = (hi + lo) / 2;
    lo = mid - box.minSpan / 2;
    hi = mid + box.minSpan / 2;
    // Keep the span, but inside the scale.
    if (lo < 0) [lo, hi] = [0, box.minSpan];
    if (box.maxTotal !== null && hi > box.maxTotal) [lo, hi] = [Math.max(0, box.maxTotal - box.minSpan), box.maxTotal];
  }
  const inner = { w: box.width - 2 * box.pad, h: box.height - 2 * box.pad };
  const x = (i: number) => r1(values.length === 1 ? box.width / 2 : box.pad + (i * inner.w) / (values.length - 1));
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
  return { paths: paths.filter((p) => p.includes('L')), dots, refY: ref === null ? null : y(ref) };
}

export interface SparklineProps {
  values: Array<number | null>;
  /** Index of this session in `values` (-1: none). */
  current: number;
  mean: number | null;
  maxTotal: number | null;
  /** The accessible name: the chart in one sentence. */
  label: string;
}

const BOX: SparkBox = { width: 320, height: 72, pad: 8, minSpan: 4, maxTotal: null };

export function Sparkline({ values, current, mean, maxTotal, label }: SparklineProps) {
  const g = sparkGeometry(values, mean, { ...BOX, maxTotal });
  return (
    <svg class="spark" role="img" aria-label={label} viewBox={`0 0 ${BOX.width} ${BOX.height}`} focusable="false">
      {g.refY !== null && <line class="mean" x1={BOX.pad} x2={BOX.width - BOX.pad} y1={g.refY} y2={g.refY} />}
      {g.paths.map((d) => (
        <path key={d} class="line" d={d} />
      ))}
      {g.dots.map((d) => (
        <circle key={d.index} class={d.index === current ? 'dot now' : 'dot'} cx={d.x} cy={d.y} r={d.index === current ? 5 : 3} />
      ))}
    </svg>
  );
}
