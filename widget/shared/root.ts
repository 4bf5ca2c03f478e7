import type { MountContext } from './contract.ts';
import { addStyle, BASE_CSS } from './styles.ts';

/**
 * A `.root` element in the shadow root with the base and role styles; teardown removes both. Its `lang` is the
 * locale the widget speaks (WCAG 3.1.2: the host page's own `lang` may differ); set `el.lang` when it changes.
 */
export function mountRoot(
  ctx: Pick<MountContext, 'root' | 'nonce'>,
  css: string,
  lang: string,
): { el: HTMLElement; teardown: () => void } {
  const removeStyle = addStyle(ctx.root, BASE_CSS + css, ctx.nonce);
  const el = ctx.root.ownerDocument.createElement('div');
  el.className = 'root';
  el.lang = lang;
  ctx.root.appendChild(el);
  return {
    el,
    teardown() {
      el.remove();
      removeStyle();
    },
  };
}
