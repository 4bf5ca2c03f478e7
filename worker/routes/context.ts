import { Hono } from 'hono';
import type { SessionContext } from '../../schemas/index.ts';
import type { AppEnv } from '../env.ts';
import { auth } from '../middleware/auth.ts';
import { methodNotAllowed } from '../not-allowed.ts';
import { cueSettingsFor } from '../platform-settings.ts';

/** GET /v1/context: what the widget needs at mount, for either role. */
export const contextRoutes = new Hono<AppEnv>()
  .get('/', auth(), (c) => {
    const claims = c.var.claims;
    const body: SessionContext = {
      role: claims.role,
      instrument: c.var.instrument,
      locale: claims.loc ?? 'en',
      schedule: claims.sched ?? null,
      cues: cueSettingsFor(c.var.platform.settings),
    };
    return c.json(body);
  })
  .all('/', methodNotAllowed('GET'));
