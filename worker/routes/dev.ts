import { Hono } from 'hono';
import * as v from 'valibot';
import { Ref } from '../../schemas/index.ts';
import { mintToken } from '../../sdk/mint-token.ts';
import { readJson } from '../http/body.ts';
import { devFaults } from '../db/dev-faults.ts';
import type { AppEnv } from '../env.ts';
import { ApiFailure } from '../http/errors.ts';
import { cors } from '../http/cors.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';

const DevTokenRequest = v.object({
  sid: v.optional(Ref),
  /** Scheduled length of the pretend call. */
  minutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(240))),
  /** The tokens' locale (`loc`), e.g. from the demo's language selector. */
  locale: v.optional(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/))),
  /** Mint for the demo's quick-cues platform (a short quiet start), when seeded. */
  quick: v.optional(v.boolean()),
  /** Mint the demo therapist's caseload token (no session) instead of a call's two tokens. */
  caseload: v.optional(v.boolean()),
});

/** The demo's therapist ref: the calls' tid, and the caseload token's (scripts/seed-demo.ts seeds their history). */
export const DEMO_THERAPIST = 'demo-therapist';

/**
 * Dev-only routes. They exist only when DEV_MODE === '1' (.dev.vars written by scripts/seed-demo.ts);
 * otherwise every /dev path is a plain 404.
 */
export const devRoutes = new Hono<AppEnv>()
  .use('*', async function devOnly(c, next) {
    if (c.env.DEV_MODE !== '1') throw new ApiFailure(404, 'not_found', 'No such route.');
    await next();
  })
  // The demo page runs on its own origin, registered for the demo platform by scripts/seed-demo.ts.
  .use(
    '*',
    cors({ methods: ['POST', 'OPTIONS'], headers: ['Content-Type'], platformOf: (c) => c.env.DEMO_PLATFORM_ID }),
  )
  .post('/tokens', async (c) => {
    const body = await readJson(c, DevTokenRequest, { allowEmpty: true });
    const e = c.env;
    const [platformId, kid, key] = body.quick
      ? [e.DEMO_QUICK_PLATFORM_ID, e.DEMO_QUICK_KID, e.DEMO_QUICK_PRIVATE_JWK]
      : [e.DEMO_PLATFORM_ID, e.DEMO_KID, e.DEMO_PRIVATE_JWK];
    if (!platformId || !kid || !key) {
      throw new ApiFailure(503, 'demo_not_seeded', 'Run scripts/seed-demo.ts to register the demo platform.');
    }
    const signing = { platformId, kid, key, alg: 'EdDSA' as const };
    if (body.caseload) {
      const loc = body.locale ?? 'en';
      const caseload = await mintToken(signing, { role: 'caseload', sub: DEMO_THERAPIST, tid: DEMO_THERAPIST, loc });
      return c.json({ caseload, api: new URL(c.req.url).origin });
    }
    const sid = body.sid ?? `demo-${crypto.randomUUID()}`;
    const minutes = body.minutes ?? 50;
    const now = Math.floor(Date.now() / 1000);
    const common = {
      sid,
      tid: DEMO_THERAPIST,
      cid: 'demo-client',
      sched: { start: now, end: now + minutes * 60 },
      loc: body.locale ?? 'en',
    };
    const ttlSeconds = Math.max(4 * 3600, minutes * 60 + 3600);
    const [therapist, client] = await Promise.all([
      mintToken(signing, { ...common, role: 'therapist', sub: DEMO_THERAPIST, ttlSeconds }),
      mintToken(signing, { ...common, role: 'client', sub: 'demo-client', ttlSeconds }),
    ]);
    return c.json({ sid, therapist, client, api: new URL(c.req.url).origin });
  })
  .all('/tokens', methodNotAllowed('POST'))
  .route('/faults', devFaults);
