// Pure value logic of one scale item: rounding, keys, taps. Kept out of the component so it is easy to test.

export interface Scale {
  min: number;
  max: number;
  step: number;
}

export function snap(s: Scale, v: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(s.step) + 1e-9));
  const n = Math.round((v - s.min) / s.step) * s.step + s.min;
  return Number(Math.min(s.max, Math.max(s.min, n)).toFixed(decimals));
}

/**
 * The value after a navigation key, or undefined if the key is not one. An unset item lands on the middle
 * first (where its track is drawn), so the first arrow press never jumps.
 */
export function valueForKey(s: Scale, value: number | null, key: string): number | undefined {
  const mid = snap(s, (s.min + s.max) / 2);
  const big = Math.max(s.step, (s.max - s.min) / 10);
  const delta: Record<string, number> = {
    ArrowRight: s.step,
    ArrowUp: s.step,
    ArrowLeft: -s.step,
    ArrowDown: -s.step,
    PageUp: big,
    PageDown: -big,
  };
  if (key === 'Home') return s.min;
  if (key === 'End') return s.max;
  const d = delta[key];
  if (d === undefined) return undefined;
  return value === null ? mid : snap(s, value + d);
}

/** Type-ahead: "7" then "." then "5" gives 7.5; "1" then "0" gives 10. Returns the new buffer and value. */
export function typeAhead(s: Scale, buffer: string, key: string): { buffer: string; value: number } | undefined {
  if (!/^[0-9.,]$/.test(key)) return undefined;
  const k = key === ',' ? '.' : key;
  for (const text of [buffer + k, k]) {
    const n = Number(text.endsWith('.') ? text.slice(0, -1) : text);
    if (text !== '.' && Number.isFinite(n) && n >= s.min && n <= s.max) return { buffer: text, value: snap(s, n) };
  }
  return undefined;
}

/** The value under a pointer at `x` on a track spanning `left`..`left + width`. */
export function valueAtPoint(s: Scale, x: number, left: number, width: number): number | undefined {
  if (!(width > 0)) return undefined;
  return snap(s, s.min + ((x - left) / width) * (s.max - s.min));
}
