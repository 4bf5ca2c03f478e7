import { describe, expect, it } from 'vitest';
import { CLIENT_CSS } from '../../../widget/client/client.css.ts';
import { BASE_CSS } from '../../../widget/shared/styles.ts';
import { THERAPIST_CSS } from '../../../widget/therapist/therapist.css.ts';
import { TREND_CSS } from '../../../widget/therapist/trend.css.ts';

/** Rules whose declarations remove the outline. */
const outlineRemovers = (css: string) =>
  [...css.matchAll(/([^{}]+)\{([^}]*)\}/g)]
    .filter(([, , d]) => /outline:\s*(none|0)\b/.test(d!))
    .map(([, sel]) => sel!.trim());

describe('focus indicator (WCAG 2.4.7)', () => {
  it('no rule removes the outline from keyboard focus: only :focus that is not :focus-visible may lose it', () => {
    const removers = outlineRemovers(BASE_CSS + CLIENT_CSS + THERAPIST_CSS + TREND_CSS);
    for (const sel of removers)
      for (const part of sel.split(',')) expect(part).toMatch(/:focus:not\(:focus-visible\)$/);
    expect(BASE_CSS).toMatch(/:focus-visible\{outline:3px solid/);
  });
});
