import { Hono } from 'hono';
import {
  CaseloadRequest,
  type CaseloadResponse,
  DEFAULT_CASELOAD_DAYS,
  instrumentMaxTotal,
  MIN_COMPARISON_SESSIONS,
} from '../../schemas/index.ts';
import { instrumentAsked, instrumentWithMostSessions } from '../admin/instrument-choice.ts';
import { cueSettingsFor, instrumentVersionFor } from '../admin/platform-settings.ts';
import { caseloadAuth } from '../auth/token-auth.ts';
import { hashRef } from '../auth/ref-hash.ts';
import { aboveBandOf, clientsFrom, pacingFrom, scalesOf } from '../caseload/build-caseload.ts';
import { trackRulesFor } from '../caseload/not-on-track.ts';
import { type CaseloadClientRow, caseloadClients, type PaceRow, paceWeeks } from '../db/caseload-queries.ts';
import type { AppEnv } from '../env.ts';
import { readJson } from '../http/body.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { dayOf } from '../summary/trend.ts';

/** 200 refs of 128 characters, quoted, fit. */
const MAX_CASELOAD_BODY_BYTES = 32 * 1024;

/**
 * POST /v1/caseload (caseload token): for the client refs in the body, whether each is on track with this
 * therapist, judged (with that version's own rules) and shown on the instrument version of the client's newest rating
 * (`clients[].instrument`), and
 * the therapist's own pacing beside their clients' ratings, on one instrument (`pacing.instrument`: the body's, else
 * the one with the most sessions in the window). Totals on different scales are never compared or averaged together.
 * Read-only; refs are hashed and answered for, never stored; an unknown ref is `no_data`.
 */
export const caseloadRoutes = new Hono<AppEnv>()
  .post('/', caseloadAuth(), async (c) => {
    const body = await readJson(c, CaseloadRequest, { maxBytes: MAX_CASELOAD_BODY_BYTES });
    const refs = [...new Set(body.clients)];
    const settings = c.var.platform.settings;
    const asked = instrumentAsked(settings, body.instrument);
    const platformId = c.var.platform.id;
    const hashes = await Promise.all(refs.map((r) => hashRef(c.env.REF_HASH_SECRET, platformId, 'cid', r)));
    const days = body.days ?? DEFAULT_CASELOAD_DAYS;
    const toDay = dayOf(Date.now() / 1000);
    const thresholdShare = cueSettingsFor(c.var.platform.settings).balanceShareAbove;
    const db = c.env.DB;
    const therapistHash = c.var.therapistHash;
    const [clientRows, paceRows] = await db.batch([
      caseloadClients(db, { platformId, therapistHash, clientHashes: hashes }),
      paceWeeks(db, {
        platformId,
        therapistHash,
        fromDay: toDay - days,
        toDay,
        aboveBand: aboveBandOf(thresholdShare),
      }),
    ]);
    const instrument = c.var.instrument;
    const paceRowList = (paceRows?.results ?? []) as PaceRow[];
    const paceKey = instrumentWithMostSessions(paceRowList, body.instrument, asked ?? instrument);
    const paceInstrument = instrumentVersionFor(settings, paceKey.id, paceKey.version);
    const rules = trackRulesFor(instrument);
    const answer: CaseloadResponse = {
      days,
      instrument: { id: instrument.id, version: instrument.version, maxTotal: instrumentMaxTotal(instrument) },
      rules,
      clients: clientsFrom(refs, hashes, (clientRows?.results ?? []) as CaseloadClientRow[], scalesOf(settings, rules)),
      pacing: pacingFrom(paceRowList, {
        toDay,
        thresholdShare,
        minSessions: MIN_COMPARISON_SESSIONS,
        instrument: { ...paceKey, maxTotal: paceInstrument ? instrumentMaxTotal(paceInstrument) : null },
      }),
    };
    return c.json(answer);
  })
  .all('/', methodNotAllowed('POST'));
