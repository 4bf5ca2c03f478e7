import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/instrument.ts';
import { PENDING_SUMMARY, type SessionSummary } from '../../../schemas/summary.ts';
import { mount } from '../../../widget/therapist/index.tsx';
import { liveSummary } from '../../../widget/therapist/live-summary.ts';
import { pollSummary } from '../../../widget/therapist/summary-source.ts';
import { json, mountContext, stubFetch } from '../helpers.ts';

const pending: SessionSummary = PENDING_SUMMARY;
const rated: SessionSummary = {
  status: 'rated',
  instrument: { id: 'attune-session-4', version: 1 },
  items: [
    { id: 'bond', value: 9.5 },
    { id: 'goals', value: 7.5 },
    { id: 'approach', value: 9 },
    { id: 'overall', value: 8.5 },
  ],
  total: 34.5,
  maxTotal: 40,
  flags: [
    { rule: 'total_below', threshold: 36, total: 34.5 },
    {
      rule: 'item_below',
      threshold: 9,
      items: [
        { id: 'goals', value: 7.5 },
        { id: 'overall', value: 8.5 },
      ],
    },
    { rule: 'drop_from_previous', threshold: 4, previous: 38.5, total: 34.5 },
    { rule: 'drop_from_mean', threshold: 4, mean: 38.67, sessions: 3, total: 34.5 },
  ],
  ratedAt: 1_800_000_000,
  pacing: null,
};

function api(summaries: SessionSummary[]) {
  const queue = [...summaries];
  return stubFetch(async (url) => {
    if (url.endsWith('/v1/context'))
      return json(200, { role: 'therapist', instrument: DEFAULT_INSTRUMENT, locale: 'en', schedule: null, cues: {} });
    if (url.endsWith('/summary')) return json(200, queue.length > 1 ? queue.shift() : queue[0]);
    return json(404, { error: { code: 'not_found', message: '' } });
  });
}
const summaryCalls = (f: ReturnType<typeof api>) => f.mock.calls.filter(([u]) => u.endsWith('/summary')).length;

// The summary view is a chunk of its own, fetched at mount (widget/therapist/index.tsx); a real page has it long before the
// call ends. Loaded here once, so that each test's widget finds it in the module cache.
beforeAll(() => import('../../../widget/therapist/summary-view.tsx'));

beforeEach(() => {
  vi.useFakeTimers();
  document.body.innerHTML = '';
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('therapist summary card', () => {
  it('draws nothing during the call, then waits for the rating, then shows items, total and flags', async () => {
    const f = api([pending, pending, rated]);
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { source: pollSummary(c) });
    await act(async () => void (await vi.advanceTimersByTimeAsync(0)));
    expect(c.root.querySelector('.card')).toBeNull();
    expect(summaryCalls(f)).toBe(0);

    await act(() => ctl.endSession!());
    await act(async () => void (await vi.advanceTimersByTimeAsync(0)));
    expect(c.root.querySelector('h2')?.textContent).toBe('Client feedback on this session');
    expect(c.root.querySelector('[role=status]')?.textContent).toBe("Waiting for the client's rating…");

    await act(async () => void (await vi.advanceTimersByTimeAsync(2000)));
    expect(c.root.querySelector('[role=status]')?.textContent).toBe("Waiting for the client's rating…");
    await act(async () => void (await vi.advanceTimersByTimeAsync(2000)));
    expect(summaryCalls(f)).toBe(3);

    expect(c.root.querySelector('.total')?.textContent).toBe('Total: 34.5 / 40');
    // The live region announces the one line; the table and flags sit outside it.
    expect(c.root.querySelector('[role=status]')?.textContent).toBe('Total: 34.5 / 40');
    expect(c.root.querySelector('[role=status] table, [role=status] .flags')).toBeNull();
    const label = (id: string) => DEFAULT_INSTRUMENT.items.find((i) => i.id === id)!.text.en!.label;
    const rows = [...c.root.querySelectorAll('tbody tr')].map((tr) => [
      tr.querySelector('th')?.textContent,
      tr.querySelector('td')?.textContent,
    ]);
    // The scores say what scale they are on (the total says "/ 40").
    expect(c.root.querySelector('thead th:nth-child(2)')?.textContent).toBe('Score (0\u2060–\u206010)');
    expect(rows).toEqual([
      [label('bond'), '9.5'],
      [label('goals'), '7.5'],
      [label('approach'), '9.0'],
      [label('overall'), '8.5'],
    ]);
    // Every flag says what it saw and the rule that raised it; none is styled as an alarm.
    expect(c.root.querySelector('.flag-list h3')?.textContent).toBe('Worth checking in about');
    expect([...c.root.querySelectorAll('.flags li')].map((li) => li.textContent)).toEqual([
      'The total, 34.5, is under 36.0. Rule: total under 36.0',
      `Under 9.0: ${label('goals')} (7.5), ${label('overall')} (8.5). Rule: any item under 9.0`,
      'A drop of 4.0 since last session. Rule: a drop of 4.0 or more from the previous session',
      "4.2 below this client's recent mean (38.7 over 3 sessions). Rule: 4.0 or more below their recent mean",
    ]);
    expect(c.root.querySelectorAll('.flags .rule')).toHaveLength(4);
    expect(c.events).toContainEqual(['summary', rated]);

    // Polling stops once the client has rated.
    await act(async () => void (await vi.advanceTimersByTimeAsync(60_000)));
    expect(summaryCalls(f)).toBe(3);
    ctl.teardown();
    expect(c.root.childNodes).toHaveLength(0);
  });

  it('says so when the client declined', async () => {
    api([{ ...pending, status: 'declined' }]);
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { source: pollSummary(c) });
    await act(() => ctl.endSession!());
    await act(async () => void (await vi.advanceTimersByTimeAsync(0)));
    expect(c.root.querySelector('[role=status]')?.textContent).toBe('The client chose not to rate this session.');
    ctl.teardown();
  });
});

describe('not asked this time', () => {
  it('says so, and stops polling once feedback fatigue skips the session (nothing will come)', async () => {
    const f = api([{ ...pending, asked: false, skipped: true }]);
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { source: pollSummary(c) });
    await act(() => ctl.endSession!());
    await act(async () => void (await vi.advanceTimersByTimeAsync(0)));
    expect(c.root.querySelector('[role=status]')?.textContent).toMatch(/^Not asked this time/);
    await act(async () => void (await vi.advanceTimersByTimeAsync(60_000)));
    expect(summaryCalls(f)).toBe(1);
    ctl.teardown();
  });
});

describe('therapist widget on the live source', () => {
  it('draws each pushed summary: pending, then the rating with its trend, with no polling', async () => {
    const f = api([pending]);
    const sockets: Array<{
      onmessage: ((e: MessageEvent) => void) | null;
      onopen: (() => void) | null;
      close: () => void;
      send: () => void;
    }> = [];
    class Socket {
      onopen: (() => void) | null = null;
      onmessage: ((e: MessageEvent) => void) | null = null;
      onclose = null;
      onerror = null;
      constructor() {
        sockets.push(this);
      }
      close() {}
      send() {}
    }
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { source: liveSummary(c, { WebSocket: Socket as unknown as typeof WebSocket }) });
    await act(() => ctl.endSession!());
    const push = (summary: SessionSummary) =>
      act(() =>
        sockets[0]!.onmessage!(new MessageEvent('message', { data: JSON.stringify({ type: 'summary', summary }) })),
      );
    sockets[0]!.onopen!();
    await push(pending);
    expect(c.root.querySelector('[role=status]')?.textContent).toBe("Waiting for the client's rating…");
    const trend = {
      client: [
        { at: 1_799_000_000, total: 37, items: [], therapistShare: null },
        { at: rated.ratedAt!, total: 34.5, items: [], therapistShare: 0.45 },
      ],
      therapist: { days: 90, sessions: 10, meanTotal: 35, meanTherapistShare: 0.5 },
    };
    await push({ ...rated, trend });
    expect(c.root.querySelector('.total')?.textContent).toBe('Total: 34.5 / 40');
    expect(c.root.querySelector('svg[role=img]')?.getAttribute('aria-label')).toBe(
      'Totals over 2 sessions, from 37.0 to 34.5',
    );
    expect(c.events.filter(([e]) => e === 'summary')).toHaveLength(2);
    await act(async () => void (await vi.advanceTimersByTimeAsync(10_000)));
    expect(summaryCalls(f)).toBe(0);
    ctl.teardown();
  });
});

describe('pollSummary', () => {
  it('backs off on errors, reports once, and stops on teardown', async () => {
    const f = stubFetch(async () => json(503, { error: { code: 'unavailable', message: '' } }));
    const onError = vi.fn();
    const stop = pollSummary(
      { api: 'https://api.test', token: 't', sid: 's' },
      { intervalMs: 1000, maxIntervalMs: 8000 },
    )(vi.fn(), onError);
    await vi.advanceTimersByTimeAsync(0);
    expect(f).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1999); // 2 s after the first failure
    expect(f).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(f).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(4000); // then 4 s
    expect(f).toHaveBeenCalledTimes(3);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'summary_unavailable' }));
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f).toHaveBeenCalledTimes(3);
    expect(f.mock.calls[0]![0]).toBe('https://api.test/v1/session/summary');
    expect((f.mock.calls[0]![1]!.headers as Record<string, string>).Authorization).toBe('Bearer t');
  });
});
