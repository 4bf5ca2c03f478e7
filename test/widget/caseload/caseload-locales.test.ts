import { describe, expect, it } from 'vitest';
import { ar } from '../../../widget/caseload/strings/ar.ts';
import { de } from '../../../widget/caseload/strings/de.ts';
import { en } from '../../../widget/caseload/strings/en.ts';
import { es } from '../../../widget/caseload/strings/es.ts';
import { fr } from '../../../widget/caseload/strings/fr.ts';
import { CASELOAD_LANGS, loadCaseloadStrings } from '../../../widget/caseload/strings/index.ts';
import { pt } from '../../../widget/caseload/strings/pt.ts';
import { THERAPIST_LANGS } from '../../../widget/therapist/strings/index.ts';

const ALL = { en, es, fr, de, pt, ar };
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('caseload strings', () => {
  it('speak every language the therapist’s widget speaks', () => {
    expect([...CASELOAD_LANGS].sort()).toEqual([...THERAPIST_LANGS].sort());
    expect(Object.keys(ALL).sort()).toEqual([...CASELOAD_LANGS].sort());
  });

  for (const [locale, words] of Object.entries(ALL)) {
    it(`${locale}: every key English has, non-empty, with the same placeholders, and nothing more`, () => {
      for (const [key, value] of Object.entries(en)) {
        const mine = (words as unknown as Record<string, unknown>)[key];
        expect(typeof mine, `${locale} ${key}`).toBe('string');
        expect((mine as string).trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(mine as string), `${locale} ${key}`).toEqual(placeholders(value));
      }
      for (const key of Object.keys(words)) if (key !== 'rtl') expect(key in en, `${locale} ${key}`).toBe(true);
    });
  }

  it('uses the therapist strings’ form of address (usted, vous, Sie, você)', () => {
    const text = (w: object) => Object.values(w).join(' \n ');
    expect(text(es)).toMatch(/\busted\b/);
    expect(text(es)).not.toMatch(/(^|[\s¿¡(])(tú|tu|tus|te|ti)(?=[\s,.;:!?)]|$)/i);
    expect(text(fr)).not.toMatch(/(^|[\s(])(tu|ton|ta|tes|toi)(?=[\s,.;:!?)]|$)/i);
    expect(text(de)).not.toMatch(/\b(du|dein|deine|dir|dich)\b/i);
    expect(text(pt)).not.toMatch(/\b(tu|teu|tua)\b/i);
  });

  it('loads a locale by tag, then language, else English; Arabic is right to left', async () => {
    expect(await loadCaseloadStrings('pt-BR')).toBe(pt);
    expect(await loadCaseloadStrings('sv')).toBe(en);
    expect((await loadCaseloadStrings('ar-EG')).rtl).toBe(true);
  });
});
