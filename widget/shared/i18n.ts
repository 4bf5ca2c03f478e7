/** Picks the best supported locale: exact tag, then its language, then the first candidate, else English. */
export function pickLocale(supported: readonly string[], ...wanted: Array<string | undefined>): string {
  for (const w of wanted) {
    if (!w) continue;
    if (supported.includes(w)) return w;
    const lang = w.split('-')[0] ?? '';
    if (supported.includes(lang)) return lang;
  }
  return supported.includes('en') ? 'en' : (supported[0] ?? 'en');
}

/** Formats a score with one decimal in the locale's style (7.5 / 7,5). */
export function formatScore(value: number, locale: string): string {
  return value.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** A number in the locale's digits and separator, with up to one decimal ("6", "7.5", "٧٫٥"). */
export function formatNumber(value: number, locale: string): string {
  return value.toLocaleString(locale, { maximumFractionDigits: 1 });
}

/** Fills a string's `{name}` placeholders; a placeholder without a value becomes empty. */
/** A share (0..1) as a whole percent in the locale's way. */
export const percent = (share: number, locale: string): string =>
  share.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 0 });

export const fill = (template: string, vars: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
