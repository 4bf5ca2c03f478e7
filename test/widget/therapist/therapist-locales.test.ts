import { describe, expect, it } from 'vitest';
import { CUE_TEXT_EN } from '../../../pacing/cue-rules.ts';
import { loadLocale, localeOf, THERAPIST_LANGS } from '../../../widget/therapist/strings/index.ts';
import { ALL_THERAPIST_LOCALES as THERAPIST_LOCALES } from './therapist-locale-table.ts';

/** Every string of a locale, by dotted path. */
function flatten(o: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
    else out.set(prefix + k, v);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const en = flatten(THERAPIST_LOCALES.en!);

describe('therapist strings', () => {
  it('exist in en, es, fr, de, pt and ar', () => {
    expect(Object.keys(THERAPIST_LOCALES).sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'pt']);
    expect([...THERAPIST_LANGS].sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'pt']);
  });

  for (const [locale, words] of Object.entries(THERAPIST_LOCALES)) {
    it(`${locale}: every string the English view has, non-empty, with the same placeholders`, () => {
      const mine = flatten(words);
      for (const [key, value] of en) {
        if (key === 'rtl') continue;
        expect(typeof mine.get(key), `${locale} ${key}`).toBe('string');
        expect((mine.get(key) as string).trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(mine.get(key) as string), `${locale} ${key}`).toEqual(placeholders(value as string));
      }
      expect(Object.keys(words.pacing.cues).sort()).toEqual(Object.keys(CUE_TEXT_EN).sort());
      // Nothing a locale has that English lacks (a typo in a key would hide a missing string).
      for (const key of mine.keys()) if (key !== 'rtl') expect(en.has(key), `${locale} ${key}`).toBe(true);
    });
  }

  it('uses one form of address per language', () => {
    const text = (l: string) =>
      [...flatten(THERAPIST_LOCALES[l]!).values()].filter((v) => typeof v === 'string').join(' \n ');
    // Spanish: usted (no tú, tu, tus, te, ti, contigo).
    expect(text('es')).not.toMatch(/(^|[\s¿¡(])(tú|tu|tus|te|ti|contigo)(?=[\s,.;:!?)]|$)/i);
    expect(text('es')).toMatch(/\busted\b/);
    // French: vous (no tu, ton, ta, tes, toi).
    expect(text('fr')).not.toMatch(/(^|[\s(])(tu|ton|ta|tes|toi|t’)(?=[\s,.;:!?)]|$)/i);
    // German: Sie (no du, dein, dir, dich).
    expect(text('de')).not.toMatch(/\b(du|dein|deine|deinen|dir|dich)\b/i);
    // Portuguese: você (no tu, teu, tua).
    expect(text('pt')).not.toMatch(/\b(tu|teu|tua|teus|tuas)\b/i);
  });

  it('loads a locale on demand (English until then), by tag, then language, else English; Arabic is right to left', async () => {
    expect(localeOf('pt-BR')).toBe(THERAPIST_LOCALES.en);
    expect(await loadLocale('pt-BR')).toEqual(THERAPIST_LOCALES.pt);
    expect(localeOf('pt-BR')).toEqual(THERAPIST_LOCALES.pt);
    expect(await loadLocale('sv')).toBe(THERAPIST_LOCALES.en);
    await loadLocale('ar');
    expect(localeOf('ar-EG').rtl).toBe(true);
    expect(localeOf('sv')).toBe(THERAPIST_LOCALES.en);
    expect(
      Object.entries(THERAPIST_LOCALES)
        .filter(([, w]) => w.rtl)
        .map(([l]) => l),
    ).toEqual(['ar']);
  });
});
