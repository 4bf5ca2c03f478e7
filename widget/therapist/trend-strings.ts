// The trend section's words live with the rest of the therapist's strings (./strings.ts, one file per locale).
export type { TrendStrings } from './strings/index.ts';

export const fill = (t: string, vars: Record<string, string | number>): string =>
  t.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
