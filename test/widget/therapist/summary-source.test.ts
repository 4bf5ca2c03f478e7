// Polling the summary with a token the API refuses for good (401: expired, revoked; 403: wrong role, origin, session)
// stops: each 401 counts as a failed credential against the caller's address, and past the limit the Worker answers
// 429 to every request from it, valid tokens included (a clinic behind one address). Transient failures keep polling.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PENDING_SUMMARY } from '../../../schemas/summary.ts';
import type { WidgetError } from '../../../widget/shared/contract.ts';
import { pollSummary } from '../../../widget/therapist/summary-source.ts';
import { json, mountContext, stubFetch } from '../helpers.ts';

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function pollFor(status: number, minutes: number) {
  const f = stubFetch(async () => json(status, { error: { code: 'x', message: '' } }));
  const errors: WidgetError[] = [];
  const stop = pollSummary(mountContext({ role: 'therapist' }))(
    () => {},
    (e) => void errors.push(e),
  );
  await vi.advanceTimersByTimeAsync(minutes * 60_000);
  stop();
  return { calls: f.mock.calls.length, errors };
}

describe('pollSummary with a refused token', () => {
  it.each([401, 403])('stops after a %i, with one error', async (status) => {
    const { calls, errors } = await pollFor(status, 10);
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('summary_unavailable');
  });

  it.each([429, 500, 503])('keeps polling (with backoff) after a %i', async (status) => {
    const { calls } = await pollFor(status, 10);
    expect(calls).toBeGreaterThan(10);
  });

  it('keeps polling while the summary is pending (control)', async () => {
    const f = stubFetch(async () => json(200, PENDING_SUMMARY));
    const stop = pollSummary(mountContext({ role: 'therapist' }))(
      () => {},
      () => {},
    );
    await vi.advanceTimersByTimeAsync(60_000);
    stop();
    expect(f.mock.calls.length).toBeGreaterThan(10);
  });
});
