import { describe, expect, it } from 'vitest';
import { snap, typeAhead, valueAtPoint, valueForKey } from '../../../widget/client/scale.ts';
import { formatNumber, formatScore, pickLocale } from '../../../widget/shared/i18n.ts';

const s = { min: 0, max: 10, step: 0.1 };

describe('scale', () => {
  it('snaps to one decimal inside the range without float noise', () => {
    expect(snap(s, 0.1 + 0.2)).toBe(0.3);
    expect(snap(s, 7.449)).toBe(7.4);
    expect(snap(s, -3)).toBe(0);
    expect(snap(s, 12)).toBe(10);
    expect(snap({ min: 1, max: 5, step: 1 }, 2.6)).toBe(3);
  });

  it('maps keys: unset lands on the middle, then arrows step 1 (Shift: 0.1), pages 2; Home/End; other keys are not handled', () => {
    expect(valueForKey(s, null, 'ArrowLeft')).toBe(5);
    expect(valueForKey(s, null, 'ArrowLeft', true)).toBe(5);
    expect(valueForKey(s, 5, 'ArrowLeft')).toBe(4);
    expect(valueForKey(s, 5, 'ArrowLeft', true)).toBe(4.9);
    expect(valueForKey(s, 7.3, 'ArrowRight')).toBe(8.3);
    expect(valueForKey(s, 9.5, 'ArrowUp')).toBe(10);
    expect(valueForKey(s, 9.95, 'ArrowUp', true)).toBe(10);
    expect(valueForKey(s, 1.5, 'PageDown')).toBe(0);
    expect(valueForKey(s, 3, 'PageUp')).toBe(5);
    expect(valueForKey(s, null, 'Home')).toBe(0);
    expect(valueForKey(s, null, 'End')).toBe(10);
    expect(valueForKey(s, 3, 'Enter')).toBeUndefined();
    // From 0, 8.0 takes 8 presses, not 80.
    let v = 0;
    for (let i = 0; i < 8; i++) v = valueForKey(s, v, 'ArrowRight') ?? NaN;
    expect(v).toBe(8);
    // A 1..5 scale of whole steps: arrows never step below one step.
    expect(valueForKey({ min: 1, max: 5, step: 1 }, 2, 'ArrowRight')).toBe(3);
    expect(valueForKey({ min: 1, max: 5, step: 1 }, 2, 'PageUp')).toBe(3);
  });

  it('types numbers: "7.5", "10", a comma decimal, and restarts when the buffer overflows', () => {
    expect(typeAhead(s, '', '7')).toEqual({ buffer: '7', value: 7 });
    expect(typeAhead(s, '7', '.')).toEqual({ buffer: '7.', value: 7 });
    expect(typeAhead(s, '7.', '5')).toEqual({ buffer: '7.5', value: 7.5 });
    expect(typeAhead(s, '1', '0')).toEqual({ buffer: '10', value: 10 });
    expect(typeAhead(s, '9', '9')).toEqual({ buffer: '9', value: 9 });
    expect(typeAhead(s, '6', ',')).toEqual({ buffer: '6.', value: 6 });
    expect(typeAhead(s, '', 'a')).toBeUndefined();
    expect(typeAhead(s, '', '.')).toBeUndefined();
    // Arabic-Indic digits and the Arabic decimal separator.
    expect(typeAhead(s, '', '٧')).toEqual({ buffer: '7', value: 7 });
    expect(typeAhead(s, '7', '٫')).toEqual({ buffer: '7.', value: 7 });
    expect(typeAhead(s, '7.', '٥')).toEqual({ buffer: '7.5', value: 7.5 });
  });

  it('maps a tap to a value along the track', () => {
    expect(valueAtPoint(s, 150, 0, 200)).toBe(7.5);
    expect(valueAtPoint(s, -20, 0, 200)).toBe(0);
    expect(valueAtPoint(s, 10, 0, 0)).toBeUndefined();
  });
});

describe('i18n', () => {
  it('picks the exact tag, then the language, then English', () => {
    expect(pickLocale(['en', 'es'], 'es')).toBe('es');
    expect(pickLocale(['en', 'es'], 'es-MX')).toBe('es');
    expect(pickLocale(['en', 'es'], 'fr', undefined, 'es-AR')).toBe('es');
    expect(pickLocale(['en', 'es'], 'fr')).toBe('en');
    expect(pickLocale(['de'], 'fr')).toBe('de');
  });
  it('formats one decimal in the locale', () => {
    expect(formatScore(7.5, 'en')).toBe('7.5');
    expect(formatScore(7, 'es')).toBe('7,0');
  });
  it("formats a spoken number with up to one decimal, in the locale's style", () => {
    expect(formatNumber(6, 'en')).toBe('6');
    expect(formatNumber(7.5, 'de')).toBe('7,5');
    expect(formatNumber(7.25, 'fr')).toBe('7,3');
  });
});
