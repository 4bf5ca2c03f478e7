import { h } from './dom.ts';
import type { ClientStrings } from './strings/index.ts';

export type Delivery = 'sending' | 'queued' | 'unsaved' | 'delivered' | 'stored' | 'kept' | 'failed' | 'erased';

/**
 * The thank-you card; its status line follows the delivery (sending, saved on this device, held only by this page,
 * sent to the therapist, stored, another answer kept, failed, or erased). After a skip it first offers `undo` (a real button) until the decline is sent.
 * With `close` (a floating card, fixed over the host page's own controls) a Close button beside the heading, and
 * Escape from inside the card, dismiss it; the status stays until then, whatever it says.
 */
export function thanksCard(declined: boolean, strings: ClientStrings, undo?: () => void, close?: () => void) {
  const heading = h('h2', { tabindex: '-1' }, declined ? strings.thanksDeclined : strings.thanks);
  const status = h('p', { role: 'status', class: 'muted' });
  // On a phone this button can take Skip's place under the finger (a floating card, Skip on a row of its own): the
  // second tap of a double-tap on Skip, a click the browser counts as the second (detail 2), is not an undo.
  const back =
    undo &&
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: (e: MouseEvent) => e.detail < 2 && undo() }, strings.undo),
    );
  const setDelivery = (d: Delivery) => {
    status.className = d === 'failed' || d === 'erased' ? 'error' : 'muted';
    status.textContent = declined && (d === 'delivered' || d === 'stored') ? strings.skipped : strings[d];
    // Once the decline is on its way it cannot be taken back; keep focus in the card if it was on the button.
    if (back?.isConnected) {
      const focused = back.contains((back.getRootNode() as ShadowRoot).activeElement);
      back.remove();
      if (focused) heading.focus();
    }
  };
  return {
    el: h(
      'div',
      { class: 'card', onkeydown: (e: KeyboardEvent) => e.key === 'Escape' && close?.() },
      // Outside any form: a button's default type submits nothing.
      h('div', { class: 'head' }, heading, close && h('button', { 'aria-label': strings.close, onclick: close }, '×')),
      status,
      back,
    ),
    heading,
    setDelivery,
  };
}
