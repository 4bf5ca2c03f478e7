import type { Role } from '../shared/contract.ts';
import { tokenPayload } from '../shared/token-payload.ts';

export interface EmbedConfig {
  token: string;
  role: Role;
  sid: string;
  locale: string | undefined;
  /** API origin, no trailing slash. */
  api: string;
  /** Where the lazy chunks live: the directory of widget.js itself. */
  base: string;
  /** A selector (data-target) or, from the npm entry, the element itself. */
  target: string | Element | undefined;
  nonce: string | undefined;
  /** The platform's own words for who sees the client's answers (`data-privacy-note`), shown above the rating. */
  privacyNote: string | undefined;
  /** data-theme: force light or dark; otherwise the widget follows the system setting. */
  theme?: 'light' | 'dark' | undefined;
}

/** The widget's own script element: `document.currentScript` while it runs, else the tag by its shape. */
export function findScript(doc: Document): HTMLScriptElement | null {
  const current = doc.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.token) return current;
  // widget.js (the alias) or widget-<hash>.js (the versioned, SRI-pinnable name).
  for (const s of doc.querySelectorAll<HTMLScriptElement>('script[src][data-token]')) {
    if (/\/widget(-[0-9a-f]+)?\.js([?#]|$)/.test(s.src)) return s;
  }
  return null;
}

/** Reads the token payload without verifying it (the Worker verifies); only role, sid and locale are used. */
export function decodeClaims(token: string): { role: Role; sid: string; locale: string | undefined } | null {
  const claims = tokenPayload(token);
  if (!claims) return null;
  const { role, sid, loc } = claims;
  if ((role !== 'client' && role !== 'therapist') || typeof sid !== 'string' || !sid) return null;
  return { role, sid, locale: typeof loc === 'string' ? loc : undefined };
}

export type ConfigResult = { ok: true; config: EmbedConfig } | { ok: false; code: string; message: string };

export function readConfig(script: HTMLScriptElement | null): ConfigResult {
  if (!script) return { ok: false, code: 'no_script', message: 'Attune: no script with data-token' };
  const token = script.dataset.token ?? '';
  const claims = decodeClaims(token);
  if (!claims) return { ok: false, code: 'bad_token', message: 'Attune: data-token is not a session token' };
  let src: URL;
  let api: URL;
  try {
    src = new URL(script.src, script.baseURI);
    api = new URL(script.dataset.api || src.origin, src);
  } catch {
    return { ok: false, code: 'bad_config', message: 'Attune: data-api is not a URL' };
  }
  return {
    ok: true,
    config: {
      token,
      ...claims,
      api: (api.origin + api.pathname).replace(/\/+$/, ''),
      base: new URL('.', src).href,
      target: script.dataset.target || undefined,
      nonce: script.dataset.nonce || script.nonce || undefined,
      privacyNote: script.dataset.privacyNote?.trim().slice(0, 500) || undefined,
      theme: script.dataset.theme === 'light' || script.dataset.theme === 'dark' ? script.dataset.theme : undefined,
    },
  };
}
