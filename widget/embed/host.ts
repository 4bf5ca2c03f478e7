/** One host element with one shadow root; everything the widget draws lives inside it. */
export interface Host {
  host: HTMLElement;
  root: ShadowRoot;
  teardown: () => void;
}

export function createHost(doc: Document, target: string | Element | undefined, theme?: 'light' | 'dark'): Host {
  const host = doc.createElement('attune-widget');
  if (theme) host.dataset.theme = theme;
  let parent: Element | null = typeof target === 'object' ? target : null;
  const targetSelector = typeof target === 'string' ? target : undefined;
  if (targetSelector) {
    try {
      parent = doc.querySelector(targetSelector);
    } catch {
      parent = null;
    }
  }
  // Without a target the host floats; its position comes from the shadow's :host([data-floating]) rule.
  if (!parent) host.setAttribute('data-floating', '');
  const root = host.attachShadow({ mode: 'open' });
  (parent ?? doc.body ?? doc.documentElement).appendChild(host);
  return { host, root, teardown: () => host.remove() };
}
