// What a request says about its caller (address, browser, the page it came from) is never stored: after a tour of
// every route that writes or reads aggregates, with a failed credential on the way, no D1 cell holds any of it.
import { describe, expect, it } from 'vitest';
import { caseloadToken, postCaseload } from '../caseload/seed.ts';
import {
  adminCall,
  call,
  everyCell,
  GOOD_PACING,
  GOOD_RATING,
  postJson,
  seedAdminKey,
  seedPlatform,
  sessionPath,
} from '../helpers.ts';

const CALLER = {
  'CF-Connecting-IP': '198.51.100.77',
  'X-Forwarded-For': '203.0.113.9',
  'X-Real-IP': '192.0.2.44',
  'User-Agent': 'Mozilla/5.0 (UA-SENTINEL-4711)',
  Referer: 'https://care.example/patients/jane-doe-1984',
  Origin: 'https://care.example',
};
const NEEDLES = ['198.51.100.77', '203.0.113.9', '192.0.2.44', 'UA-SENTINEL', 'jane-doe'];

describe('D1 holds nothing about the caller', () => {
  it('no address, user agent or referring page after every route that writes or reads aggregates', async () => {
    const p = await seedPlatform({ origins: ['https://care.example'] });
    const admin = await seedAdminKey(p.platformId);
    const client = await p.mint({});
    const therapist = await p.mint({ role: 'therapist' });
    const statuses: number[] = [];
    const json = (method: string, body: unknown): RequestInit => ({
      method,
      headers: { ...CALLER, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    statuses.push((await postJson(sessionPath('rating'), client, GOOD_RATING, CALLER)).status);
    statuses.push((await postJson(sessionPath('pacing'), therapist, GOOD_PACING, CALLER)).status);
    statuses.push((await call(sessionPath('summary'), { token: therapist, headers: CALLER })).status);
    statuses.push((await call('/v1/trends', { token: therapist, headers: CALLER })).status);
    statuses.push((await postCaseload(await caseloadToken(p), { clients: [p.refs.cid] }, CALLER)).status);
    for (const kind of ['therapists', 'weeks'])
      statuses.push((await adminCall(`/v1/reports/${kind}?format=csv`, admin.key, { headers: CALLER })).status);
    statuses.push(
      (await adminCall('/v1/reports/pseudonyms', admin.key, json('POST', { therapists: [p.refs.tid] }))).status,
    );
    statuses.push(
      (
        await adminCall(
          '/v1/fhir/questionnaire-response',
          admin.key,
          json('POST', { session: p.refs.sid, client: p.refs.cid }),
        )
      ).status,
    );
    statuses.push(
      (
        await adminCall(
          '/v1/webhooks/endpoints',
          admin.key,
          json('POST', { url: 'https://hooks.acme.example/attune', events: ['rating.created'] }),
        )
      ).status,
    );
    statuses.push((await adminCall('/v1/clients/erase', admin.key, json('POST', { ref: p.refs.cid }))).status);
    // A failed credential is counted per address (worker/auth/failure-throttle.ts): in memory, never in D1.
    statuses.push((await adminCall('/v1/reports/weeks', 'attune_admin_wrong', { headers: CALLER })).status);
    expect(statuses).toEqual([201, 201, 200, 200, 200, 200, 200, 200, 200, 201, 200, 401]);
    const cells = await everyCell();
    // The scan sees what a request did store (the endpoint's URL, from the body).
    expect(cells.some((c) => c.includes('hooks.acme.example'))).toBe(true);
    for (const needle of NEEDLES)
      expect(
        cells.filter((c) => c.includes(needle)),
        needle,
      ).toEqual([]);
  });
});
