// Facts about session tokens shared by the Worker, the SDK and the widget. No valibot here: the client's rating
// path imports this file and must stay small.

/** The algorithms a platform key signs with: Ed25519 (the default) or a shared HMAC secret. */
export type SigningAlg = 'EdDSA' | 'HS256';

/** The longest lifetime a token may have (`exp` - now): minted no longer, refused when longer (plus the skew). */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/**
 * How long after its token expired a rating queued offline in the client's browser is still accepted (the Worker's
 * rating route); the widget's outbox keeps such a rating until then, after which a 401 is final.
 */
export const OFFLINE_RATING_GRACE_SECONDS = 7 * 24 * 3600;

/** A key id as the Worker accepts it in a token's header (and the SDK checks before minting). */
export const KID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
