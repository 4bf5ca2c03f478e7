import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { loadTrend } from '../summary/load-summary.ts';
import { auth } from '../auth/token-auth.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { summaryTargetOf } from '../summary/summary-target.ts';

/**
 * GET /v1/trends (therapist token): the client's series with this therapist (oldest first, this session
 * last) and the therapist's rolling mean over the platform's trend window, from the daily rollups.
 */
export const trendRoutes = new Hono<AppEnv>()
  .get('/', auth({ roles: ['therapist'] }), async (c) => c.json(await loadTrend(c.env.DB, summaryTargetOf(c))))
  .all('/', methodNotAllowed('GET'));
