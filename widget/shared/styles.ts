// CSS as strings, scoped by the shadow root. Light and dark: the system setting (prefers-color-scheme) unless the
// host element says otherwise with data-theme="light" or "dark" (from the script tag's data-theme, or set on
// <attune-widget> by the host page at any time: the rules follow the attribute live). Inherited properties still flow from the host element into the
// shadow tree, so .root resets them all (`all: initial`: letter-spacing, white-space, visibility… back to their initial values), then sets the few it needs. Theme through CSS variables on :host; a platform overrides them
// with `attune-widget { --attune-accent: ... }` in its own stylesheet. Lengths in px, never rem: rem would
// follow the host page's root font size. A line continuation (`\` at each line's end) keeps one rule per line here
// and none of the newlines in the bundle: the client's path has a 10 KB gzip budget.

const DARK =
  '--attune-bg:#1b1f24;--attune-fg:#e6e9ed;--attune-muted:#aab4bf;--attune-border:#3e4751;--attune-accent:#8cb8e6;--attune-accent-fg:#0d1b2a;--attune-danger:#ffabab;--attune-track:1';

export const BASE_CSS = `\
:host{--attune-bg:#fff;--attune-fg:#1f2933;--attune-muted:#52606d;--attune-border:#cbd2d9;--attune-accent:#2b5f8e;--attune-accent-fg:#fff;--attune-danger:#a61b1b;--attune-radius:12px;--attune-font:system-ui,"Segoe UI",Roboto,sans-serif;display:block}\
:host([data-floating]){position:fixed;right:8px;bottom:8px;z-index:2147483000;width:min(400px,calc(100vw - 16px))}\
@media (prefers-color-scheme:dark){:host(:not([data-theme=light])){${DARK}}}\
:host([data-theme=dark]){${DARK}}\
.root{all:initial;display:block;font:400 16px/1.5 var(--attune-font);color:var(--attune-fg);text-align:start}\
.root *{box-sizing:border-box}\
.card{background:var(--attune-bg);color:var(--attune-fg);border:1px solid var(--attune-border);border-radius:var(--attune-radius);padding:16px;box-shadow:0 4px 16px #0000001f}\
:host([data-floating]) .card{max-height:calc(100dvh - 16px);overflow:auto}\
h2{font-size:18px;line-height:1.3;margin:0 0 4px;font-weight:600}\
p{margin:0 0 8px}\
.muted{color:var(--attune-muted);font-size:14px}\
button{font:inherit;min-height:44px;min-width:44px;padding:0 16px;border-radius:8px;cursor:pointer;border:2px solid var(--attune-accent);background:transparent;color:var(--attune-accent)}\
button.primary{background:var(--attune-accent);color:var(--attune-accent-fg)}\
@media (forced-colors:active){button.primary{forced-color-adjust:none;background:ButtonText;color:ButtonFace;border-color:ButtonText}}\
:focus-visible{outline:3px solid var(--attune-accent);outline-offset:2px}\
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:16px}\
.error{color:var(--attune-danger);font-weight:600}\
`;

/** Appends a `<style>` (with the CSP nonce) to the shadow root; returns its teardown. */
export function addStyle(root: ShadowRoot, css: string, nonce: string | undefined): () => void {
  const el = root.ownerDocument.createElement('style');
  if (nonce) el.setAttribute('nonce', nonce);
  el.textContent = css;
  root.appendChild(el);
  return () => el.remove();
}
