// The contract between the loader (widget.js, plain DOM) and a role chunk (client.js, therapist.js).
// The loader stays tiny and knows nothing of Preact; a chunk exports `mount(ctx)`.

import type { Role } from '../../schemas/token.ts';

export type { Role };

export type Teardown = () => void;

export interface WidgetError {
  code: string;
  message: string;
}

export interface MountContext {
  role: Role;
  /** Session ref from the token (decoded, not verified). */
  sid: string;
  /** Locale hint from the token, if any (`loc` claim). */
  locale: string | undefined;
  token: string;
  /** API origin, no trailing slash. */
  api: string;
  /** CSP nonce for every style element, if the host gave one. */
  nonce: string | undefined;
  /** Client: the platform's own words for who sees the answers (`data-privacy-note`), if it gave any. */
  privacyNote?: string | undefined;
  /** The shadow root the chunk renders into. */
  root: ShadowRoot;
  emit: (event: string, detail?: unknown) => void;
  error: (err: WidgetError) => void;
}

/**
 * What a role chunk gives back. Methods it does not implement yet are absent, so the loader keeps those
 * calls queued (it never pretends they worked).
 */
export interface EndSessionOptions {
  /**
   * Move focus into what appears (the client's rating card). Default: only when the host calls `endSession()`
   * from the user's own action (a click on "End call": `navigator.userActivation.isActive`).
   */
  focus?: boolean;
}

export interface RoleController {
  endSession?: (options?: EndSessionOptions) => void;
  connect?: (room: unknown) => void;
  attachAudio?: (sources: { local?: unknown; remote?: unknown }) => void;
  /** Therapist: hide the pacing strip (e.g. while sharing the screen) and show it again. */
  hideStrip?: () => void;
  showStrip?: () => void;
  /** Undo everything mount() did: DOM, listeners, timers, requests. */
  teardown: Teardown;
}

export interface RoleChunk {
  mount: (ctx: MountContext) => RoleController;
}

export type QueuedCall = [method: string, args: unknown[]];
