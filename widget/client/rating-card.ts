import type { Instrument } from '../../schemas/instrument.ts';
import { h } from './dom.ts';
import { scaleInput } from './scale-input.ts';
import type { ClientStrings } from './strings/index.ts';

export interface RatingCardOptions {
  instrument: Instrument;
  locale: string;
  strings: ClientStrings;
  /** The platform's own words for who sees the answers (`data-privacy-note`), else the locale's. */
  privacyNote?: string | undefined;
  onSubmit: (items: Array<{ id: string; value: number }>) => void;
  onSkip: () => void;
}

/**
 * The intro names the controls the device has: a fine pointer (mouse, trackpad) means a keyboard is likely; a
 * touch-only phone gets no talk of arrow keys.
 */
export function introFor(strings: ClientStrings): string {
  return typeof matchMedia === 'function' && matchMedia('(any-pointer: fine)').matches
    ? strings.introKeys
    : strings.intro;
}

/**
 * The rating card: who sees the answers, one scale per item, a note naming the unset items on submit, send and
 * skip. Its heading takes focus (tabindex -1) when the client ended the call themself.
 */
export function ratingCard(o: RatingCardOptions): HTMLFormElement {
  const inputs = o.instrument.items.map((it) =>
    scaleInput({
      item: { id: it.id, ...(it.text[o.locale] ?? Object.values(it.text)[0]!) },
      scale: o.instrument,
      locale: o.locale,
      strings: o.strings,
      onChange: () => tried && note(),
    }),
  );
  let tried = false;
  const alert = h('p', { class: 'error', role: 'alert' });
  const missing = () => inputs.filter((i) => i.value() === null);
  const note = () => {
    const m = tried ? missing() : [];
    const t = m.length ? o.strings.missing + m.map((i) => i.el.querySelector('label')!.textContent).join(', ') : '';
    // Rewriting the same words would have them read out again (an alert is assertive) over each value set.
    if (alert.textContent !== t) alert.textContent = t;
    alert.hidden = !m.length;
    for (const i of inputs) i.setInvalid(tried && i.value() === null);
  };
  note();
  const form = h(
    'form',
    {
      class: 'card',
      novalidate: true,
      'aria-labelledby': 'attune-title',
      onsubmit: (e: Event) => {
        e.preventDefault();
        tried = true;
        alert.textContent = ''; // each Send with lines unset says which, again
        note();
        const m = missing();
        if (m.length) m[0]!.input.focus();
        else o.onSubmit(inputs.map((i, n) => ({ id: o.instrument.items[n]!.id, value: i.value()! })));
      },
    },
    h('h2', { id: 'attune-title', tabindex: '-1' }, o.strings.title),
    h('p', { class: 'privacy' }, o.privacyNote || o.strings.privacy),
    h('p', { class: 'muted' }, introFor(o.strings)),
    ...inputs.map((i) => i.el),
    alert,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, o.strings.submit),
      h('button', { type: 'button', onclick: () => o.onSkip() }, o.strings.skip),
    ),
  );
  return form;
}
