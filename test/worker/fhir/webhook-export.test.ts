// One mapping from a stored rating to FHIR (storedRatingOf, worker/fhir/questionnaire-response.ts): the
// QuestionnaireResponse a webhook carries is, byte for byte, the one the export route answers for the same session.
import { describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../../sdk/server.ts';
import { adminCall, GOOD_RATING, seedAdminKey, seedPlatform } from '../helpers.ts';
import { registerEndpoint } from '../webhooks/receiver.ts';
import { recordingQueue, write } from '../webhooks/recording-queue.ts';

const SYSTEMS = { clientSystem: 'https://ehr.example/patients', sessionSystem: 'https://ehr.example/visits' };

describe('FHIR in a webhook and from the export route', () => {
  it('are the same bytes, for a rating and for a decline', async () => {
    const p = await seedPlatform({ settings: { fhir: SYSTEMS } });
    const admin = await seedAdminKey(p.platformId);
    await registerEndpoint(admin.key, {
      url: `https://${crypto.randomUUID()}.hooks.example/`,
      events: ['rating.created', 'rating.declined'],
      fhir: true,
    });
    const q = recordingQueue();
    const declined = `${p.refs.sid}-declined`;
    expect((await write('rating', await p.mint({}), GOOD_RATING, q.queue)).status).toBe(201);
    expect((await write('rating', await p.mint({ sid: declined }), { kind: 'declined' }, q.queue)).status).toBe(201);

    const events = q.events() as WebhookEvent[];
    expect(events.map((e) => e.type).sort()).toEqual(['rating.created', 'rating.declined']);
    for (const event of events) {
      const res = await adminCall('/v1/fhir/questionnaire-response', admin.key, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ session: event.data.session, client: p.refs.cid }),
      });
      expect(res.status).toBe(200);
      expect(JSON.stringify(event.data.fhir)).toBe(await res.text());
    }
  });
});
