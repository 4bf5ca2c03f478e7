// String arbitraries for the endpoint fuzz: the Big List of Naughty Strings (minimaxir, on npm), random Unicode
// (lone surrogates included), and a marker that must never come back in an error body.
// As text: workerd's module loader refuses the list as a JSON module (it holds characters a JS source cannot).
import blnsJson from 'big-list-of-naughty-strings/blns.json?raw';
import fc from 'fast-check';

/** Appended to some fuzzed strings: an error body containing it echoed the input. */
export const MARKER = 'zqECHOx7Q';

const NAUGHTY: readonly string[] = (JSON.parse(blnsJson) as string[]).filter((s) => s.length > 0);

export const naughty: fc.Arbitrary<string> = fc.constantFrom(...NAUGHTY);

/** Any string: naughty, random Unicode, random ASCII, or one of those with the marker. */
export const fuzzString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: naughty, weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), weight: 1 },
  { arbitrary: naughty.map((s) => `${s}${MARKER}`), weight: 1 },
  { arbitrary: fc.constant('x'.repeat(5000)), weight: 1 },
);

const REF = /^[\x21-\x7e]{1,128}$/;

/** A valid Ref (printable ASCII, no spaces, 1..128): naughty ones where the list has them (SQL, paths, %00, ../). */
export const validRef: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NAUGHTY.filter((s) => REF.test(s))),
  fc.stringMatching(REF),
);

export const idempotencyKey: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/);

/**
 * `s` as a header value: printable ASCII and tab as they are, anything else (CR, LF, NUL, controls, non-ASCII)
 * percent-encoded as UTF-8. A fetch client cannot send CR, LF or NUL in a header at all, and workerd re-encodes
 * non-ASCII with a warning per request; the naughty ASCII (SQL, format strings, markup, paths) stays.
 */
export function headerValue(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    // A lone surrogate has no UTF-8: it goes as U+FFFD's bytes.
    out += c === 9 || (c >= 0x20 && c <= 0x7e) ? ch : c >= 0xd800 && c <= 0xdfff ? '%EF%BF%BD' : encodeURIComponent(ch);
  }
  return out;
}
