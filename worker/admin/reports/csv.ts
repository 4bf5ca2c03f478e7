export type CsvCell = string | number | null;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, or starts with a character a
 * spreadsheet would run as a formula (then also prefixed with an apostrophe). null is an empty field.
 */
export function csvField(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const defused = /^[=+\-@\t\r]/.test(value);
  const s = defused ? `'${value}` : value;
  return defused || /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
