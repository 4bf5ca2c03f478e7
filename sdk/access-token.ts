import type { JWK } from 'jose';
import { DEFAULT_TTL_SECONDS, mintToken, type SigningAlg, type SigningKey } from './mint-token.ts';

/** Who the token is for, in the platform's own refs (Attune stores only keyed hashes of them). */
export interface AccessTokenOptions {
  /** The participant's ref (becomes `sub`). */
  identity: string;
  /** `client` rates the session; `therapist` gets pacing cues and the summary. */
  role: 'client' | 'therapist';
  /** The call's ref (becomes `sid`); both participants of one call get the same one. */
  session: string;
  /** The therapist's ref (becomes `tid`). */
  therapist: string;
  /** The client's ref (becomes `cid`). */
  client: string;
  /** Lifetime in seconds; default 4 h, at most 24 h. */
  ttl?: number;
  /** Locale the widget speaks (BCP 47, e.g. `en`, `es`), becomes `loc`. */
  locale?: string;
  /** A registered instrument id (`ins`); default the platform's. */
  instrument?: string;
}

/**
 * A session token for one participant of one call, signed with the platform's key: the widget's `data-token`.
 * Modelled on livekit-server-sdk's `AccessToken`; mint it on your server, never in the browser.
 *
 * Runs wherever WebCrypto does: Node 20+, Cloudflare Workers, Deno, Bun (jose + valibot, no Node built-ins).
 *
 * @example
 * import { AccessToken } from 'attune/server';
 *
 * const at = new AccessToken(process.env.ATTUNE_PLATFORM_ID, process.env.ATTUNE_KID, process.env.ATTUNE_PRIVATE_KEY, {
 *   identity: user.id, role: 'client', session: call.id, therapist: call.therapistId, client: user.id,
 * });
 * at.setSchedule(call.startsAt, call.endsAt);
 * const token = await at.toJwt();
 */
export class AccessToken {
  readonly #signing: SigningKey;
  readonly #options: AccessTokenOptions;
  #schedule: { start: number; end: number } | undefined;

  /**
   * @param platformId The platform id Attune issued (`plt_…`), becomes `iss`.
   * @param kid The key id Attune registered with the key (`k_…`), becomes the `kid` header.
   * @param key EdDSA: the Ed25519 private JWK (object or its JSON string). HS256: the shared secret, 32+ bytes.
   * @param options Who the token is for.
   * @param alg Default: EdDSA for a JWK, HS256 for a plain string or bytes.
   */
  constructor(
    platformId: string,
    kid: string,
    key: JWK | string | Uint8Array,
    options: AccessTokenOptions,
    alg?: SigningAlg,
  ) {
    this.#signing = { platformId, kid, key, ...(alg ? { alg } : {}) };
    this.#options = { ...options };
  }

  /** Scheduled start and end of the call (epoch seconds or Dates): drives the time cues and the rating reserve. */
  setSchedule(start: number | Date, end: number | Date): this {
    const s = (t: number | Date) => (t instanceof Date ? Math.floor(t.getTime() / 1000) : t);
    this.#schedule = { start: s(start), end: s(end) };
    return this;
  }

  /** Lifetime in seconds (default 4 h). */
  get ttl(): number {
    return this.#options.ttl ?? DEFAULT_TTL_SECONDS;
  }

  /**
   * The signed JWT. Rejects with `MintError` when a claim is invalid (an empty or non-ASCII ref, a bad locale,
   * a lifetime over 24 h) or the key does not fit the algorithm.
   */
  toJwt(options: { now?: number } = {}): Promise<string> {
    const o = this.#options;
    return mintToken(
      this.#signing,
      {
        role: o.role,
        sub: o.identity,
        sid: o.session,
        tid: o.therapist,
        cid: o.client,
        ttlSeconds: this.ttl,
        ...(o.locale ? { loc: o.locale } : {}),
        ...(o.instrument ? { ins: o.instrument } : {}),
        ...(this.#schedule ? { sched: this.#schedule } : {}),
      },
      options,
    );
  }
}

/** Who a caseload token is for: the therapist alone, with no session and no client. */
export interface CaseloadTokenOptions {
  /** The therapist's ref, the same as `therapist` in their session tokens (becomes `tid`, and `sub`). */
  therapist: string;
  /** Lifetime in seconds; default 1 h (a page view), at most 24 h. */
  ttl?: number;
  /** Locale the caseload view speaks (BCP 47), becomes `loc`. */
  locale?: string;
  /** A registered instrument id (`ins`) whose flag rules define "not on track"; default the platform's. */
  instrument?: string;
}

/** Default lifetime of a caseload token: one page view, not a workday. */
export const CASELOAD_TTL_SECONDS = 3600;

/**
 * A read-only token for the therapist's caseload view (`role: 'caseload'`): it reads that therapist's own clients'
 * ratings and pacing, for the client refs the page sends, and nothing else (no session, no live channel, no write).
 *
 * @example
 * import { CaseloadToken } from 'attune/server';
 * const token = await new CaseloadToken(env.ATTUNE_PLATFORM_ID, env.ATTUNE_KID, env.ATTUNE_PRIVATE_KEY, {
 *   therapist: user.id,
 * }).toJwt();
 */
export class CaseloadToken {
  readonly #signing: SigningKey;
  readonly #options: CaseloadTokenOptions;

  constructor(
    platformId: string,
    kid: string,
    key: JWK | string | Uint8Array,
    options: CaseloadTokenOptions,
    alg?: SigningAlg,
  ) {
    this.#signing = { platformId, kid, key, ...(alg ? { alg } : {}) };
    this.#options = { ...options };
  }

  get ttl(): number {
    return this.#options.ttl ?? CASELOAD_TTL_SECONDS;
  }

  /** The signed JWT; rejects with `MintError` on an invalid claim or key. */
  toJwt(options: { now?: number } = {}): Promise<string> {
    const o = this.#options;
    return mintToken(
      this.#signing,
      {
        role: 'caseload',
        sub: o.therapist,
        tid: o.therapist,
        ttlSeconds: this.ttl,
        ...(o.locale ? { loc: o.locale } : {}),
        ...(o.instrument ? { ins: o.instrument } : {}),
      },
      options,
    );
  }
}
