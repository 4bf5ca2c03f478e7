import { fill, formatNumber, formatScore } from '../shared/i18n.ts';
import { attr, h } from './dom.ts';
import { snap, typeAhead, valueAtPoint, valueForKey, type Scale } from './scale.ts';
import type { ClientStrings } from './strings/index.ts';

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
/** How far (CSS px) a touch may wander and still be a tap; past it, the first direction decides drag or scroll. */
const SLOP = 10;

/** What a screen reader says for the value: neutral ("6 of 10"), or "Not set". The ends are in the description. */
export function valueText(value: number | null, o: Pick<ScaleInputOptions, 'scale' | 'locale' | 'strings'>): string {
  if (value === null) return o.strings.notSet;
  return fill(o.strings.valueOf, { v: formatNumber(value, o.locale), max: formatNumber(o.scale.max, o.locale) });
}

/** The item's description: "0: <low>. 10: <high>." */
export function endsText(o: Pick<ScaleInputOptions, 'item' | 'scale' | 'locale' | 'strings'>): string {
  return fill(o.strings.ends, {
    min: formatNumber(o.scale.min, o.locale),
    max: formatNumber(o.scale.max, o.locale),
    low: o.item.low,
    high: o.item.high,
  });
}

export interface ScaleInput {
  el: HTMLElement;
  input: HTMLInputElement;
  value(): number | null;
  setInvalid(invalid: boolean): void;
}

/**
 * A pointer on the track: 'tap' until it moves past the slop, then 'drag' (sideways) or 'scroll' (up or down);
 * `from` is the value before it, given back if the browser takes the touch to scroll after all.
 */
type Gesture = { id: number; x: number; y: number; mode: 'tap' | 'drag' | 'scroll'; from: number | null };

/**
 * One item: a native range input (so browsers and assistive tech treat it as a slider) plus keys and taps that
 * set a value without dragging: arrows step by 1 (Shift: 0.1), PageUp/PageDown jump, Home/End, typed numbers
 * ("7", ".", "5"), and a tap anywhere on the track. A touch sets a value only as a tap that ends where it began
 * or as a sideways drag: a swipe up or down scrolls the page and leaves the value as it was. The item starts
 * unset; its thumb stays hidden until it has a value.
 */
export function scaleInput(o: ScaleInputOptions): ScaleInput {
  const { item, scale } = o;
  const id = 'attune-item-' + item.id; // never 'attune-title' (the card's heading) whatever the instrument's ids
  let value: number | null = null;
  let typed = { buffer: '', at: 0 };
  let gesture: Gesture | null = null;

  const shown = h('span', { class: 'value', id: id + '-v', 'aria-hidden': 'true' });
  const set = (v: number | null) => {
    value = v;
    // Unset sits at the minimum with its thumb hidden, so the track shows no fill (no value suggested).
    input.value = String(v ?? scale.min);
    attr(input, 'aria-valuetext', valueText(v, o));
    // Unset, the state is in the name too ("Trust between us, Not set"): Chromium's accessibility tree gives a
    // native slider's number as its value whatever aria-valuetext says, so a bare "0" must not be all it shows.
    attr(input, 'aria-labelledby', v === null && `${id}-l ${id}-v`);
    shown.textContent = v === null ? o.strings.notSet : formatScore(v, o.locale);
    el.classList.toggle('unset', v === null);
    if (v !== null) attr(input, 'aria-invalid', null);
  };
  const change = (v: number) => {
    set(v);
    o.onChange();
  };
  const atPoint = (x: number) => {
    const r = input.getBoundingClientRect();
    // In a right-to-left card the native slider runs from the right: mirror the point.
    const rtl = input.closest('[dir]')?.getAttribute('dir') === 'rtl';
    const v = valueAtPoint(scale, rtl ? 2 * r.left + r.width - x : x, r.left + THUMB_INSET, r.width - 2 * THUMB_INSET);
    if (v !== undefined) change(v);
  };
  const end = (e: PointerEvent, commit: boolean) => {
    const g = gesture;
    if (g?.id !== e.pointerId) return;
    gesture = null;
    // Cancelled: the browser took the touch to scroll, maybe after a thumb's arc began sideways (a drag to us).
    if (!commit) value = g.from;
    else if (g.mode === 'tap') atPoint(e.clientX);
    set(value); // and undo anything the native slider did during a scroll
    o.onChange();
  };

  const input = h('input', {
    id,
    type: 'range',
    min: scale.min,
    max: scale.max,
    step: scale.step,
    'aria-describedby': id + '-d',
    onkeydown: (e: KeyboardEvent) => {
      let v = valueForKey(scale, value, e.key, e.shiftKey);
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
      if (!e.isPrimary || e.button > 0) return;
      // A mouse press is meant for this line (a mouse scrolls with its wheel); a touch or pen may be a scroll.
      const mouse = e.pointerType === 'mouse';
      gesture = { id: e.pointerId, x: e.clientX, y: e.clientY, mode: mouse ? 'drag' : 'tap', from: value };
      if (mouse) atPoint(e.clientX);
    },
    onpointermove: (e: PointerEvent) => {
      const g = gesture;
      if (g?.id !== e.pointerId) return;
      const dx = Math.abs(e.clientX - g.x);
      const dy = Math.abs(e.clientY - g.y);
      if (g.mode === 'tap' && Math.max(dx, dy) > SLOP) g.mode = dx > dy ? 'drag' : 'scroll';
      if (g.mode === 'drag' && e.pointerType !== 'mouse') atPoint(e.clientX);
    },
    onpointerup: (e: PointerEvent) => end(e, true),
    // The browser took the touch to scroll (or the pointer left): no value.
    onpointercancel: (e: PointerEvent) => end(e, false),
    // A mouse drag and changes made by assistive technology arrive here; while a touch is undecided or
    // scrolling, what the native slider did is undone.
    oninput: () => {
      const n = Number(input.value);
      if (gesture && gesture.mode !== 'drag') set(value);
      else if (Number.isFinite(n)) change(snap(scale, n));
    },
  });
  // A touch that stops a fling is dispatched uncancelable (Chromium): it only stops the page, as it does elsewhere.
  input.addEventListener(
    'touchstart',
    (e) => {
      if (!e.cancelable && gesture) gesture.mode = 'scroll';
    },
    { passive: true },
  );
  const el = h(
    'div',
    { class: 'item' },
    h('div', { class: 'head' }, h('label', { for: id, id: id + '-l' }, item.label), shown),
    input,
    // Seen: the words at each end. Heard (the description): the same words with the numbers they stand for.
    h('div', { class: 'anchors', 'aria-hidden': 'true' }, h('span', {}, item.low), h('span', {}, item.high)),
    h('span', { id: id + '-d', hidden: true }, endsText(o)),
  );
  set(null);
  return { el, input, value: () => value, setInvalid: (bad) => attr(input, 'aria-invalid', bad && 'true') };
}
