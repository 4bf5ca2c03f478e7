import { Hono, type Context } from 'hono';
import { getSessionParticipants } from '../db/queries.ts';
import type { AppEnv } from '../env.ts';
import { ApiFailure } from '../http/errors.ts';
import { LIVE_PROTOCOL, TARGET_HEADER, TOKEN_EXP_HEADER, TOKEN_KID_HEADER } from '../live/session-live.ts';
import { liveStub } from '../live/publish.ts';
import { assertParticipants } from '../sessions/participants.ts';
import { auth } from '../auth/token-auth.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { summaryTargetOf } from '../summary/summary-target.ts';

const TOKEN_PROTOCOL = /^bearer\.([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/** The token from `Sec-WebSocket-Protocol: attune.v1, bearer.<jwt>` (browsers cannot set Authorization on a WebSocket). */
function protocolToken(c: Context<AppEnv>): string | undefined {
  const offered = (c.req.header('Sec-WebSocket-Protocol') ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(LIVE_PROTOCOL)) return undefined;
  for (const p of offered) {
    const m = TOKEN_PROTOCOL.exec(p);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

const MISSING =
  'The live socket takes the token in Sec-WebSocket-Protocol, not Authorization: new WebSocket(url, ["attune.v1", "bearer." + token]).';

/**
 * GET /v1/live: the therapist's WebSocket for its session's summary. The token is verified (401 before any
 * upgrade), the role must be therapist (403), then the upgrade goes to the session's Durable Object, which
 * sends the current summary at once and every change after, while the token is valid and its key not revoked (its exp
 * and kid go along).
 */
export const liveRoutes = new Hono<AppEnv>()
  .get('/', auth({ roles: ['therapist'], tokenFrom: protocolToken, missingMessage: MISSING }), async (c) => {
    if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
      throw new ApiFailure(426, 'upgrade_required', 'This route takes a WebSocket upgrade.', { Upgrade: 'websocket' });
    }
    const target = summaryTargetOf(c);
    const recorded = await getSessionParticipants(c.env.DB, target.platformId, target.sidHash);
    assertParticipants(target, recorded);
    const stub = liveStub(c.env, target.platformId, target.sidHash);
    if (!stub) throw new ApiFailure(503, 'live_unavailable', 'The live channel is not configured.');
    const headers = new Headers({
      Upgrade: 'websocket',
      [TARGET_HEADER]: JSON.stringify(target),
      [TOKEN_EXP_HEADER]: String(c.var.claims.exp),
      // The verified token's kid: the object stops pushing to the socket once that key is revoked.
      [TOKEN_KID_HEADER]: c.var.kid,
    });
    return stub.fetch(new Request('https://live.internal/connect', { headers }));
  })
  .all('/', methodNotAllowed('GET'));
