import type { Instrument, TokenClaims } from '../schemas/index.ts';
import type { PlatformSettings } from '../schemas/index.ts';

/** Bindings and variables the Worker reads (wrangler.toml, .dev.vars, secrets). */
export interface Bindings {
  DB: D1Database;
  ASSETS?: Fetcher;
  /** One Durable Object per session: the therapist's live channel (worker/live/session-live.ts). */
  LIVE?: DurableObjectNamespace<import('./live/session-live.ts').SessionLive>;
  /** Failed credentials per client IP and per kid (wrangler.toml [[ratelimits]]); absent: no throttle. */
  AUTH_FAILURES_BY_IP?: RateLimit;
  AUTH_FAILURES_BY_KID?: RateLimit;
  /** Secret from which every platform's ref-hashing key is derived. Required. */
  REF_HASH_SECRET: string;
  /** '1' enables the /dev routes. Never set in production. */
  DEV_MODE?: string;
  DEMO_PLATFORM_ID?: string;
  DEMO_KID?: string;
  DEMO_PRIVATE_JWK?: string;
  /** The demo's second platform, with quick cues (a short quiet start): `quick: true` in POST /dev/tokens. */
  DEMO_QUICK_PLATFORM_ID?: string;
  DEMO_QUICK_KID?: string;
  DEMO_QUICK_PRIVATE_JWK?: string;
}

/** The platform a verified token belongs to. */
export interface PlatformContext {
  id: string;
  settings: PlatformSettings;
}

/** Hashed refs of the verified token (HMAC under the platform's key); raw refs never reach D1. */
export interface HashedRefs {
  sid: string;
  tid: string;
  cid: string;
}

export interface AppEnv {
  Bindings: Bindings;
}

declare module 'hono' {
  interface ContextVariableMap {
    claims: TokenClaims;
    platform: PlatformContext;
    refs: HashedRefs;
    instrument: Instrument;
    /** The verified admin key (admin routes only). */
    admin: { platformId: string; keyId: string };
  }
}
