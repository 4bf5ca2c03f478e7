import { Hono, type Context } from 'hono';
import type { SessionContext } from '../../schemas/index.ts';
import { shouldAsk } from '../sessions/feedback-fatigue.ts';
import {
  clientSessionNumber,
  getSessionParticipants,
  markAsked,
  sessionParticipantsStatement,
  upsertSession,
} from '../db/queries.ts';
import type { AppEnv } from '../env.ts';
import { assertNotErased, erasureGuardOf } from '../admin/erasure-tombstone.ts';
import { assertParticipants } from '../sessions/participants.ts';
import { auth } from '../auth/token-auth.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { askSettingFor, cueSettingsFor } from '../admin/platform-settings.ts';

/**
 * For the client: records the session (so 'nth' can count the client's sessions), decides whether to ask
 * for a rating (deterministic per session), and marks it asked, which counts toward the completion rate.
 */
async function decideAsk(c: Context<AppEnv>): Promise<boolean> {
  const { sid, tid, cid } = c.var.refs;
  const platformId = c.var.platform.id;
  const db = c.env.DB;
  const guard = await erasureGuardOf(c);
  const [first] = await Promise.all([getSessionParticipants(db, platformId, sid), assertNotErased(c, guard)]);
  let recorded = first;
  const now = Math.floor(Date.now() / 1000);
  const setting = askSettingFor(c.var.platform.settings);
  if (!recorded) {
    const sched = c.var.claims.sched;
    // Insert or ignore, then read what is stored: a concurrent first write naming other participants may have won.
    const [, row] = await db.batch<{
      therapistHash: string;
      clientHash: string;
      instrumentId: string;
      instrumentVersion: number;
    }>([
      upsertSession(db, {
        platformId,
        sidHash: sid,
        therapistHash: tid,
        clientHash: cid,
        instrumentId: c.var.instrument.id,
        instrumentVersion: c.var.instrument.version,
        scheduledStart: sched?.start ?? null,
        scheduledEnd: sched?.end ?? null,
        now,
        guard,
      }),
      sessionParticipantsStatement(db, platformId, sid),
    ]);
    recorded = row?.results[0] ?? null;
  }
  assertParticipants({ therapistHash: tid, clientHash: cid }, recorded, true);
  const index = setting.mode === 'nth' ? ((await clientSessionNumber(db, platformId, cid, sid)) ?? 1) - 1 : 0;
  const ask = shouldAsk(setting, sid, index);
  if (ask) await markAsked(db, platformId, sid, now).run();
  return ask;
}

/** GET /v1/context: what the widget needs at mount, for either role. */
export const contextRoutes = new Hono<AppEnv>()
  .get('/', auth(), async (c) => {
    const claims = c.var.claims;
    const body: SessionContext = {
      role: claims.role,
      instrument: c.var.instrument,
      locale: claims.loc ?? 'en',
      schedule: claims.sched ?? null,
      cues: cueSettingsFor(c.var.platform.settings),
      ...(claims.role === 'client' ? { ask: await decideAsk(c) } : {}),
    };
    return c.json(body);
  })
  .all('/', methodNotAllowed('GET'));
