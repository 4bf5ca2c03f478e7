import { describe, expect, it, vi } from 'vitest';
import { EN } from '../../../widget/client/strings/index.ts';
import { thanksCard } from '../../../widget/client/thanks.ts';

const pressEscape = (el: Element) => el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));

describe('thanksCard', () => {
  it('with close: a button named "Close" beside the heading, and Escape inside the card, call it', () => {
    const close = vi.fn();
    const t = thanksCard(false, EN, undefined, close);
    t.setDelivery('failed');
    const button = t.el.querySelector('button')!;
    expect(button.getAttribute('aria-label')).toBe('Close');
    expect(button.parentElement).toBe(t.heading.parentElement);
    button.click();
    expect(close).toHaveBeenCalledTimes(1);
    pressEscape(t.el.querySelector('[role=status]')!);
    expect(close).toHaveBeenCalledTimes(2);
    expect(t.el.textContent).toContain(EN.failed); // the card itself never hides what it says
  });

  it('without close (an inline card): no Close button, and Escape does nothing', () => {
    const t = thanksCard(false, EN);
    t.setDelivery('delivered');
    expect(t.el.querySelector('button')).toBeNull();
    expect(() => pressEscape(t.heading)).not.toThrow();
  });
});
