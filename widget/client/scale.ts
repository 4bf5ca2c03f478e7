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
 * The value after a navigation key, or undefined if the key is not one. Arrows step by a tenth of the range
 * (1 on 0..10), or by the scale's own step with `fine` (Shift held: 0.1); PageUp/PageDown by a fifth. An unset item
 * lands on the middle first (where its track is drawn), so the first press never jumps.
 */
export function valueForKey(s: Scale, value: number | null, key: string, fine = false): number | undefined {
  const mid = snap(s, (s.min + s.max) / 2);
  // A share of the range, in whole steps (never below one step).
  const part = (n: number) => Math.max(1, Math.round((s.max - s.min) / n / s.step)) * s.step;
  const arrow = fine ? s.step : part(10);
  const page = part(5);
  const delta: Record<string, number> = {
    ArrowRight: arrow,
    ArrowUp: arrow,
    ArrowLeft: -arrow,
    ArrowDown: -arrow,
    PageUp: page,
    PageDown: -page,
  };
  if (key === 'Home') return s.min;
  if (key === 'End') return s.max;
  const d = delta[key];
  if (d === undefined) return undefined;
  return value === null ? mid : snap(s, value + d);
}

/**
 * Type-ahead: "7" then "." then "5" gives 7.5; "1" then "0" gives 10. Arabic-Indic digits and separators count
 * too. Returns the new buffer and value.
 */
export function typeAhead(s: Scale, buffer: string, key: string): { buffer: string; value: number } | undefined {
  const arabic = key.length === 1 ? key.charCodeAt(0) - 0x660 : -1; // ٠ (U+0660) … ٩ (U+0669)
  const k = arabic >= 0 && arabic <= 9 ? String(arabic) : /^[.,\u066b]$/.test(key) ? '.' : key;
  if (!/^[0-9.]$/.test(k)) return undefined;
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
