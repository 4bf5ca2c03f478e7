// A few lines of DOM building for the client's card. The client path has a 10 KB gzip budget (loader included);
// Preact alone would take 4.5 KB of it, so the card is plain DOM and Preact stays for the therapist's views.

type Props = Record<string, unknown>;
export type Child = Node | string | null | undefined | false;

/** `h('p', { class: 'x', onclick: fn }, 'text')`: `on*` become listeners, others attributes (false/null: absent). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v as EventListener);
    else if (v != null && v !== false) el.setAttribute(k, String(v));
  }
  for (const c of children) if (c) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** Sets or removes an attribute. */
export function attr(el: Element, name: string, value: string | null | false | undefined): void {
  if (value == null || value === false) el.removeAttribute(name);
  else el.setAttribute(name, value);
}
