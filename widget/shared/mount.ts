import { render, type ComponentChild } from 'preact';
import type { MountContext } from './contract.ts';
import { mountRoot } from './root.ts';

export interface View {
  /** Renders (or re-renders: Preact diffs, component state is kept) into the shadow root. */
  show(view: ComponentChild): void;
  /** The root's `lang`: the locale the view speaks. */
  lang(locale: string): void;
  teardown(): void;
}

/** A Preact view in the shadow root with the base and role styles. */
export function mountView(ctx: Pick<MountContext, 'root' | 'nonce'>, css: string, lang: string): View {
  const root = mountRoot(ctx, css, lang);
  return {
    show: (view) => render(view, root.el),
    lang: (locale) => {
      root.el.lang = locale;
    },
    teardown() {
      render(null, root.el);
      root.teardown();
    },
  };
}
