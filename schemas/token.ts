import * as v from 'valibot';
import { EpochSeconds, Ref } from './common.ts';

export const AUDIENCE = 'attune';
export const MAX_CLOCK_SKEW_SECONDS = 60;

export const Role = v.picklist(['client', 'therapist']);
export type Role = v.InferOutput<typeof Role>;

export const Locale = v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag'));

/** Scheduled start and end of the call, epoch seconds. */
export const Schedule = v.pipe(
  v.object({ start: EpochSeconds, end: EpochSeconds }),
  v.check((s) => s.end > s.start, 'schedule end must be after its start'),
);
export type Schedule = v.InferOutput<typeof Schedule>;

/**
 * Claims of an Attune session token, minted by the platform's backend per participant per session
 * (the LiveKit pattern). `iss` is the platform id; refs are the platform's own and are hashed before storage.
 */
export const TokenClaims = v.object({
  iss: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  aud: v.literal(AUDIENCE),
  sub: Ref,
  role: Role,
  sid: Ref,
  tid: Ref,
  cid: Ref,
  exp: EpochSeconds,
  iat: v.optional(EpochSeconds),
  nbf: v.optional(EpochSeconds),
  sched: v.optional(Schedule),
  ins: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  loc: v.optional(Locale),
});
export type TokenClaims = v.InferOutput<typeof TokenClaims>;

/** What a platform passes to the mint helper; `exp` defaults to a short lifetime. */
export type MintInput = Omit<TokenClaims, 'aud' | 'exp' | 'iat' | 'nbf'> & { ttlSeconds?: number };

// Plain constants in a module of their own, so the widget's client path can import them without valibot.
export * from './token-limits.ts';
