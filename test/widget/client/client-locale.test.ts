// Every language the client's card speaks has every string and every item of the default instrument, in one form
// of address; and the default instrument's wording shares no phrase with the licensed SRS or ORS.
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/instrument.ts';
import { CLIENT_LOCALES, EN, loadStrings, type ClientStrings } from '../../../widget/client/strings/index.ts';

const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
const all = async () => Promise.all(CLIENT_LOCALES.map(async (l) => [l, await loadStrings(l)] as const));

describe('client locales', () => {
  it('each locale has every string, non-empty, with the same placeholders as English', async () => {
    const keys = Object.keys(EN).sort();
    for (const [locale, strings] of await all()) {
      if (locale !== 'en') expect(strings, locale).not.toBe(EN); // its own chunk loaded, not the fallback
      expect(Object.keys(strings).sort(), locale).toEqual(keys);
      for (const k of keys as Array<keyof ClientStrings>) {
        expect(strings[k].trim(), `${locale}.${k}`).not.toBe('');
        expect(placeholders(strings[k]), `${locale}.${k}`).toEqual(placeholders(EN[k]));
      }
    }
  });

  it('each locale has its own words, not copies of the English', async () => {
    for (const [locale, strings] of await all()) {
      if (locale === 'en') continue;
      for (const k of ['title', 'privacy', 'intro', 'introKeys', 'submit', 'skip', 'notSet'] as const)
        expect(strings[k], `${locale}.${k}`).not.toBe(EN[k]);
    }
  });

  it('the default instrument has a label and both ends for every item in every locale', () => {
    for (const item of DEFAULT_INSTRUMENT.items) {
      expect(Object.keys(item.text).sort()).toEqual([...CLIENT_LOCALES].sort());
      for (const locale of CLIENT_LOCALES) {
        const t = item.text[locale]!;
        for (const part of [t.label, t.low, t.high]) expect(part.trim(), `${item.id}.${locale}`).not.toBe('');
        expect(t.low).not.toBe(t.high);
      }
    }
  });

  it('keeps one form of address per language', async () => {
    const text = Object.fromEntries((await all()).map(([l, s]) => [l, Object.values(s).join(' \n ')]));
    expect(text.es).not.toMatch(/\b(usted|ustedes|su|sus|Ud)\b/i); // tú
    expect(text.es).toMatch(/\b(tu|tus)\b/);
    expect(text.fr).not.toMatch(/\b(tu|te|toi|ton|ta|tes)\b/i); // vous
    expect(text.fr).toMatch(/\bvous\b/);
    expect(text.de).not.toMatch(/\b(du|dich|dir|dein\w*)\b/); // Sie
    expect(text.de).toMatch(/\bSie\b/);
    expect(text.pt).not.toMatch(/\b(tu|teu|tua|teus|tuas|te)\b/i); // você
  });
});

/** The published SRS and ORS wording (licensed): the default instrument must share no phrase with it. */
const LICENSED = [
  'I did not feel heard, understood, and respected',
  'I felt heard, understood, and respected',
  'We did not work on or talk about what I wanted to work on and talk about',
  'We worked on and talked about what I wanted to work on and talk about',
  "The therapist's approach is not a good fit for me",
  "The therapist's approach is a good fit for me",
  'There was something missing in the session today',
  "Overall, today's session was right for me",
  'Relationship',
  'Goals and Topics',
  'Approach or Method',
  'Overall',
  'Individually (Personal well-being)',
  'Interpersonally (Family, close relationships)',
  'Socially (Work, school, friendships)',
  'Overall (General sense of well-being)',
];
const words = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
const trigrams = (s: string) => {
  const w = words(s);
  return w.slice(2).map((_, i) => w.slice(i, i + 3).join(' '));
};

describe('default instrument wording', () => {
  it('shares no three-word phrase, and no label, with the SRS or ORS', () => {
    const licensed = new Set(LICENSED.flatMap(trigrams));
    const labels = new Set(LICENSED.map((l) => words(l).join(' ')));
    // The check itself works: the old high anchor of item 1 is caught.
    expect(trigrams('I felt heard, understood and respected').some((t) => licensed.has(t))).toBe(true);
    for (const item of DEFAULT_INSTRUMENT.items) {
      const t = item.text.en!;
      for (const part of [t.label, t.low, t.high]) {
        expect(
          trigrams(part).filter((g) => licensed.has(g)),
          part,
        ).toEqual([]);
        expect(labels.has(words(part).join(' ')), part).toBe(false);
      }
    }
  });
});
