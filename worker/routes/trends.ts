import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { loadCheckedTrend } from '../summary/load-summary.ts';
import { auth } from '../auth/token-auth.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { assertParticipants } from '../sessions/participants.ts';
import { summaryTargetOf } from '../summary/summary-target.ts';

/**
 * GET /v1/trends (therapist token): the client's series with this therapist (oldest first, this session
 * last) and the therapist's rolling mean over the platform's trend window, from the daily rollups. 403
 * session_mismatch, as for the summary, when the session was recorded with other participants: its recorded
 * instrument picks the trend's, so it is not this token's to read.
 */
export const trendRoutes = new Hono<AppEnv>()
  .get('/', auth({ roles: ['therapist'] }), async (c) => {
    const target = summaryTargetOf(c);
    const { trend, recorded } = await loadCheckedTrend(c.env.DB, target);
    assertParticipants(target, recorded);
    return c.json(trend);
  })
  .all('/', methodNotAllowed('GET'));
