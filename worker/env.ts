import type { CaseloadTokenClaims, Instrument, PlatformSettings, SessionTokenClaims } from '../schemas/index.ts';

/** Bindings and variables the Worker reads (wrangler.toml, .dev.vars, secrets). */
export interface Bindings {
  DB: D1Database;
  ASSETS?: Fetcher;
  /** One Durable Object per session: the therapist's live channel (worker/live/session-live.ts). */
  LIVE?: DurableObjectNamespace<import('./live/session-live.ts').SessionLive>;
  /** Failed credentials per client IP and per kid (wrangler.toml [[ratelimits]]); absent: no throttle. */
  AUTH_FAILURES_BY_IP?: RateLimit;
  AUTH_FAILURES_BY_KID?: RateLimit;
  /** Webhook deliveries (wrangler.toml [[queues.producers]]); the same Worker consumes them (worker/webhooks/deliver.ts). */
  WEBHOOKS?: Queue<import('./webhooks/deliver.ts').WebhookMessage>;
  /** The webhooks' dead-letter queue: its consumer parks dead deliveries there (worker/webhooks/dead-letters.ts). */
  WEBHOOKS_DLQ?: Queue<import('./webhooks/dead-letters.ts').ParkedMessage>;
  /** Seconds before the first webhook retry (default 30, doubling); the tests set 0. */
  WEBHOOK_RETRY_BASE_SECONDS?: string;
  /** Secret from which every platform's ref-hashing key (and the webhook secrets' sealing key) is derived. Required. */
  REF_HASH_SECRET: string;
  /** The base of the canonical URLs of exported FHIR Questionnaires (worker/fhir/canonical.ts); optional. */
  FHIR_CANONICAL_BASE?: string;
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
    claims: SessionTokenClaims;
    /** The kid of the verified session token's key (session routes). */
    kid: string;
    /** A caseload token's claims (the caseload route only; session routes refuse such a token). */
    caseloadClaims: CaseloadTokenClaims;
    /** HMAC of the caseload token's tid (the caseload route only). */
    therapistHash: string;
    platform: PlatformContext;
    refs: HashedRefs;
    instrument: Instrument;
    /** The verified admin key (admin routes only). */
    admin: { platformId: string; keyId: string };
  }
}
