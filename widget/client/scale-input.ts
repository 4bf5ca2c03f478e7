import { formatScore } from '../shared/i18n.ts';
import { attr, h } from './dom.ts';
import { snap, typeAhead, valueAtPoint, valueForKey, type Scale } from './scale.ts';
import type { ClientStrings } from './strings.ts';

export interface ScaleItem {
  id: string;
  label: string;
  low: string;
  high: string;
}

export interface ScaleInputOptions {
  item: ScaleItem;
  scale: Scale;
  locale: string;
  strings: ClientStrings;
  onChange: () => void;
}

/** Half the width of the native thumb: the track's usable span is inset by it on each side. */
const THUMB_INSET = 8;
const TYPE_AHEAD_MS = 1200;

export function valueText(value: number | null, o: Omit<ScaleInputOptions, 'onChange'>): string {
  if (value === null) return o.strings.notSet;
  const mid = (o.scale.min + o.scale.max) / 2;
  const head = o.strings.valueOf.replace('{v}', formatScore(value, o.locale)).replace('{max}', String(o.scale.max));
  return `${head}, ${value < mid ? o.item.low : value > mid ? o.item.high : o.strings.midway}`;
}

export interface ScaleInput {
  el: HTMLElement;
  input: HTMLInputElement;
  value(): number | null;
  setInvalid(invalid: boolean): void;
}

/**
 * One item: a native range input (so browsers and assistive tech treat it as a slider) plus keys and taps that
 * set a value without dragging: arrows step, PageUp/PageDown jump, Home/End, typed numbers ("7", ".", "5"),
 * and a tap anywhere on the track. The item starts unset; its thumb stays hidden until it has a value.
 */
export function scaleInput(o: ScaleInputOptions): ScaleInput {
  const { item, scale } = o;
  const id = 'attune-item-' + item.id; // never 'attune-title' (the card's heading) whatever the instrument's ids
  let value: number | null = null;
  let typed = { buffer: '', at: 0 };

  const shown = h('span', { class: 'value', 'aria-hidden': 'true' });
  const set = (v: number | null) => {
    value = v;
    // Unset sits at the minimum with its thumb hidden, so the track shows no fill (no value suggested).
    input.value = String(v ?? scale.min);
    attr(input, 'aria-valuetext', valueText(v, o));
    shown.textContent = v === null ? o.strings.notSet : formatScore(v, o.locale);
    el.classList.toggle('unset', v === null);
    if (v !== null) attr(input, 'aria-invalid', null);
  };
  const change = (v: number) => {
    set(v);
    o.onChange();
  };

  const input = h('input', {
    id,
    type: 'range',
    min: scale.min,
    max: scale.max,
    step: scale.step,
    'aria-describedby': id + '-a',
    onkeydown: (e: KeyboardEvent) => {
      let v = valueForKey(scale, value, e.key);
      if (v === undefined) {
        const now = Date.now();
        const t = typeAhead(scale, now - typed.at < TYPE_AHEAD_MS ? typed.buffer : '', e.key);
        if (!t) return;
        typed = { buffer: t.buffer, at: now };
        v = t.value;
      }
      e.preventDefault();
      change(v);
    },
    onpointerdown: (e: PointerEvent) => {
      const r = input.getBoundingClientRect();
      const v = valueAtPoint(scale, e.clientX, r.left + THUMB_INSET, r.width - 2 * THUMB_INSET);
      if (v !== undefined) change(v);
    },
    // Drags, and changes made by assistive technology, arrive here.
    oninput: () => {
      const n = Number(input.value);
      if (Number.isFinite(n)) change(snap(scale, n));
    },
  });
  const el = h(
    'div',
    { class: 'item' },
    h('div', { class: 'head' }, h('label', { for: id }, item.label), shown),
    input,
    h('div', { class: 'anchors', id: id + '-a' }, h('span', {}, item.low), h('span', {}, item.high)),
  );
  set(null);
  return { el, input, value: () => value, setInvalid: (bad) => attr(input, 'aria-invalid', bad && 'true') };
}
