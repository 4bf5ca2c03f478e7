import { h } from './dom.ts';
import type { ClientStrings } from './strings.ts';

export type Delivery = 'queued' | 'sent' | 'failed';

/** The thank-you card; its status line follows the delivery (saved on this device, sent, or failed). */
export function thanksCard(declined: boolean, strings: ClientStrings) {
  const heading = h('h2', { tabindex: '-1' }, declined ? strings.thanksDeclined : strings.thanks);
  const status = h('p', { role: 'status' });
  const setDelivery = (d: Delivery) => {
    status.className = d === 'failed' ? 'error' : 'muted';
    status.textContent = strings[d];
  };
  setDelivery('queued');
  return { el: h('div', { class: 'card' }, heading, status), heading, setDelivery };
}
