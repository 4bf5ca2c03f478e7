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

const Issuer = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const InstrumentId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

/**
 * Claims of an Attune session token, minted by the platform's backend per participant per session
 * (the LiveKit pattern). `iss` is the platform id; refs are the platform's own and are hashed before storage.
 */
export const SessionTokenClaims = v.object({
  iss: Issuer,
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
  ins: v.optional(InstrumentId),
  loc: v.optional(Locale),
});
export type SessionTokenClaims = v.InferOutput<typeof SessionTokenClaims>;

/**
 * Claims of a caseload token: the therapist alone, with no session and no client. It reads the therapist's own
 * caseload (POST /v1/caseload) and nothing else; the clients it asks about come in the request body, as refs the
 * host page holds, and are hashed like every other ref.
 */
export const CaseloadTokenClaims = v.object({
  iss: Issuer,
  aud: v.literal(AUDIENCE),
  sub: Ref,
  role: v.literal('caseload'),
  tid: Ref,
  exp: EpochSeconds,
  iat: v.optional(EpochSeconds),
  nbf: v.optional(EpochSeconds),
  /** The instrument whose flag rules define "not on track"; default the platform's. */
  ins: v.optional(InstrumentId),
  loc: v.optional(Locale),
});
export type CaseloadTokenClaims = v.InferOutput<typeof CaseloadTokenClaims>;

/** Every token Attune accepts, told apart by `role`. */
export const TokenClaims = v.variant('role', [SessionTokenClaims, CaseloadTokenClaims]);
export type TokenClaims = v.InferOutput<typeof TokenClaims>;
export type TokenRole = TokenClaims['role'];

type MintOf<C> = Omit<C, 'aud' | 'exp' | 'iat' | 'nbf'> & { ttlSeconds?: number };
/** What a platform passes to the mint helper; `exp` defaults to a short lifetime. */
export type MintInput = MintOf<SessionTokenClaims> | MintOf<CaseloadTokenClaims>;

// Plain constants in a module of their own, so the widget's client path can import them without valibot.
export * from './token-limits.ts';
