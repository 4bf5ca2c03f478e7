// `attune/server`: what a platform's backend needs to mint session and caseload tokens and to verify webhook
// deliveries. No Node built-ins: Node 20+, Workers, Deno and Bun.
export {
  AccessToken,
  type AccessTokenOptions,
  CASELOAD_TTL_SECONDS,
  CaseloadToken,
  type CaseloadTokenOptions,
} from './access-token.ts';
export {
  DEFAULT_TTL_SECONDS,
  MAX_TTL_SECONDS,
  MintError,
  mintToken,
  type SessionClaims,
  type SigningAlg,
  type SigningKey,
} from './mint-token.ts';
export {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  verifyWebhook,
  WebhookVerificationError,
  type VerifyOptions,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookVerificationFailure,
} from './verify-webhook.ts';
export { signatureHeader } from './webhook-signature.ts';
