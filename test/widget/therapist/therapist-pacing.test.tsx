import { act } from 'preact/test-utils';
import * as v from 'valibot';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/instrument.ts';
import { PacingAggregates } from '../../../schemas/pacing.ts';
import { PENDING_SUMMARY, type SessionSummary } from '../../../schemas/summary.ts';
import type { TrackAnalysers } from '../../../widget/therapist/audio/track-analysers.ts';
import { mount } from '../../../widget/therapist/index.tsx';
import { pollSummary } from '../../../widget/therapist/summary-source.ts';
import { json, mountContext, stubFetch } from '../helpers.ts';

const track = (id: string) =>
  ({ id, kind: 'audio', readyState: 'live', enabled: true, stop() {} }) as unknown as MediaStreamTrack;

/**
 * Analysers whose levels follow a script over (fake) time: the therapist speaks 3 s of every 4, the client the
 * remaining second, in syllables, over a quiet noise bed. Records which tracks it was asked to follow.
 */
function scriptedAnalysers() {
  const synced: string[][] = [];
  let closed = 0;
  const a: TrackAnalysers = {
    power(t) {
      const phase = performance.now() % 4000;
      const therapistTalks = phase < 3000;
      const speaking = t.id === 'local' ? therapistTalks : t.id === 'a' ? !therapistTalks : false;
      // Speech-like: syllables of 200 ms with 60 ms dips (a steady level would be taken for noise).
      return speaking ? (phase % 260 < 200 ? 0.01 : 0.0006) : 1e-7;
    },
    sync: (tracks) => void synced.push([...tracks].map((t) => t.id)),
    running: () => true,
    close: () => void closed++,
  };
  return { a, synced, closed: () => closed };
}

const pending: SessionSummary = PENDING_SUMMARY;

function api(opts: { scheduleMinutes?: number; summaryPacing?: () => SessionSummary['pacing'] } = {}) {
  return stubFetch(async (url, init) => {
    if (url.endsWith('/v1/context')) {
      const now = Date.now() / 1000;
      return json(200, {
        role: 'therapist',
        instrument: DEFAULT_INSTRUMENT,
        locale: 'en',
        schedule: opts.scheduleMinutes ? { start: now, end: now + opts.scheduleMinutes * 60 } : null,
        cues: { quietStartSeconds: 2, autoHideSeconds: 5, minGapSeconds: 180 },
      });
    }
    if (url.endsWith('/pacing') && init?.method === 'POST') return json(201, { status: 'recorded', receivedAt: 1 });
    if (url.endsWith('/summary')) return json(200, { ...pending, pacing: opts.summaryPacing?.() ?? null });
    return json(404, { error: { code: 'not_found', message: '' } });
  });
}

const advance = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
const cueText = (root: ShadowRoot) => root.querySelector('.cue [role=status]')?.textContent ?? null;

// The summary view is a chunk of its own, fetched at mount (widget/therapist/index.tsx): loaded once here, as a page has it.
beforeAll(() => import('../../../widget/therapist/summary-view.tsx'));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
  document.body.innerHTML = '';
  localStorage.clear();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('therapist pacing', () => {
  it('measures attached audio, shows the strip and a time cue, and posts the aggregates at the end', async () => {
    let serverPacing: SessionSummary['pacing'] = null;
    const f = api({ scheduleMinutes: 4, summaryPacing: () => serverPacing });
    const { a, synced } = scriptedAnalysers();
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { analysers: a, source: pollSummary(c) });
    await advance(0);
    expect(c.root.querySelector('.strip')).toBeNull(); // nothing drawn before audio is attached

    ctl.attachAudio!({ local: track('local'), remote: [track('a'), track('b')] });
    expect(synced.at(-1)).toEqual(['local', 'a', 'b']);
    await advance(1500);
    expect(c.root.querySelector('.strip')).not.toBeNull();
    expect(c.root.querySelector('.time')?.textContent).toBe('4 min left');
    expect(cueText(c.root)).toBe(''); // the quiet start (2 s here)

    await advance(1500);
    // The 5-minute mark passed in the quiet start: the cue says what is actually left.
    expect(cueText(c.root)).toBe('4 minutes left.');
    expect(c.root.querySelector('button.dismiss')?.getAttribute('aria-label')).toBe('Dismiss cue');
    await advance(6000); // auto-hide after 5 s
    expect(cueText(c.root)).toBe('');

    await advance(11_000);
    const snaps = c.events
      .filter(([e]) => e === 'pacing')
      .map(([, d]) => d as { therapistTalkMs: number; clientTalkMs: number; tick: { ticks: number } });
    const lastSnap = snaps.at(-1)!;
    expect(lastSnap.tick.ticks).toBeGreaterThan(700);
    // 3 s of every 4 is the therapist's.
    expect(lastSnap.therapistTalkMs / (lastSnap.therapistTalkMs + lastSnap.clientTalkMs)).toBeCloseTo(0.75, 1);
    // Under 30 s of talk so far: the strip gives no balance figure yet (the engine has one).
    expect(lastSnap.therapistTalkMs + lastSnap.clientTalkMs).toBeLessThan(30_000);
    expect(c.root.querySelector('.balance-text')?.textContent).toBe('Talk balance: after a little more talk');

    await act(() => ctl.endSession!());
    await advance(0);
    const post = f.mock.calls.find(([u, i]) => u.endsWith('/v1/session/pacing') && i?.method === 'POST')!;
    expect(post).toBeDefined();
    const headers = post[1]!.headers as Record<string, string>;
    expect(headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(headers.Authorization).toBe('Bearer tok');
    const body = JSON.parse(post[1]!.body as string) as PacingAggregates;
    expect(v.is(PacingAggregates, body)).toBe(true);
    expect(body.durationSeconds).toBeGreaterThan(19);
    // The whole session, cut mid-cycle at the end: near 3/4.
    const share = body.therapistTalkSeconds / (body.therapistTalkSeconds + body.clientTalkSeconds);
    expect(share).toBeGreaterThan(0.65);
    expect(share).toBeLessThan(0.8);
    expect(body.cuesShown).toBe(1);
    expect(c.events.some(([e]) => e === 'pacing:queued')).toBe(true);
    expect(c.events).toContainEqual(['pacing:sent', { status: 201, body: { status: 'recorded', receivedAt: 1 } }]);

    // The summary shows this browser's numbers until the server returns them.
    await advance(0);
    expect(c.root.querySelector('.strip')).toBeNull();
    expect(c.root.querySelector('.pacing h3')?.textContent).toBe('Pacing this session');
    expect(c.root.querySelector('.pacing')?.textContent).toContain('not yet confirmed');
    serverPacing = body;
    await advance(2000);
    expect(c.root.querySelector('.pacing')?.textContent).not.toContain('not yet confirmed');
    ctl.teardown();
  });

  it('dismisses a cue for good (the next snapshot does not bring it back)', async () => {
    api({ scheduleMinutes: 4 });
    const { a } = scriptedAnalysers();
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { analysers: a, source: pollSummary(c) });
    ctl.attachAudio!({ local: track('local'), remote: track('a') });
    await advance(3000);
    expect(cueText(c.root)).toBe('4 minutes left.');
    await act(() => c.root.querySelector<HTMLButtonElement>('button.dismiss')!.click());
    expect(cueText(c.root)).toBe('');
    await advance(2000);
    expect(cueText(c.root)).toBe('');
    ctl.teardown();
  });

  it('posts nothing when no audio was attached, and reports bad inputs', async () => {
    const f = api();
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { analysers: scriptedAnalysers().a, source: pollSummary(c) });
    ctl.attachAudio!({ local: 'microphone' });
    ctl.attachAudio!(null as never);
    expect(c.events.filter(([e, d]) => e === 'error' && (d as { code: string }).code === 'bad_audio')).toHaveLength(2);
    await advance(3000);
    expect(c.root.querySelector('.strip')).toBeNull();
    await act(() => ctl.endSession!());
    await advance(0);
    expect(f.mock.calls.some(([u]) => u.endsWith('/pacing'))).toBe(false);
    expect(c.root.querySelector('.pacing')).toBeNull();
    ctl.teardown();
  });

  it('follows a Room given to connect(); Disconnected ends the session; teardown releases the audio', async () => {
    api();
    const { a, synced, closed } = scriptedAnalysers();
    const handlers = new Map<string, (...x: unknown[]) => void>();
    const mic = { source: 'microphone', isMuted: false, track: { mediaStreamTrack: track('local') } };
    const room = {
      localParticipant: { isSpeaking: false, audioTrackPublications: new Map([['TR_l', mic]]) },
      remoteParticipants: new Map(),
      on: (e: string, fn: (...x: unknown[]) => void) => void handlers.set(e, fn),
      off: (e: string) => void handlers.delete(e),
    };
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { analysers: a, source: pollSummary(c) });
    ctl.connect!({});
    expect(c.events.some(([e, d]) => e === 'error' && (d as { code: string }).code === 'bad_room')).toBe(true);
    ctl.connect!(room);
    expect(synced.at(-1)).toEqual(['local']);
    await advance(2000);
    expect(c.root.querySelector('.strip')).not.toBeNull();
    room.remoteParticipants.set('a', {
      isSpeaking: false,
      audioTrackPublications: new Map([
        ['TR_a', { source: 'microphone', isMuted: false, track: { mediaStreamTrack: track('a') } }],
      ]),
    });
    handlers.get('trackSubscribed')!();
    expect(synced.at(-1)).toEqual(['local', 'a']);
    handlers.get('disconnected')!();
    await advance(0);
    expect(handlers.size).toBe(0);
    expect(closed()).toBeGreaterThan(0);
    expect(c.root.querySelector('h2')?.textContent).toBe('Client feedback on this session');
    expect(c.root.querySelector('.pacing')).not.toBeNull();
    ctl.teardown();
    expect(c.root.childNodes).toHaveLength(0);
  });

  it('hides the strip on Attune.hideStrip() and while the therapist shares the screen, and shows it again', async () => {
    api();
    const { a } = scriptedAnalysers();
    const handlers = new Map<string, Set<(...x: unknown[]) => void>>();
    const video = new Map<string, { source: string; isMuted: boolean }>();
    const room = {
      localParticipant: { isSpeaking: false, audioTrackPublications: new Map(), videoTrackPublications: video },
      remoteParticipants: new Map(),
      on: (e: string, fn: (...x: unknown[]) => void) =>
        void (handlers.get(e) ?? handlers.set(e, new Set()).get(e)!).add(fn),
      off: (e: string, fn: (...x: unknown[]) => void) => void handlers.get(e)?.delete(fn),
    };
    const emit = (e: string) => {
      for (const fn of handlers.get(e) ?? []) fn();
    };
    const c = mountContext({ role: 'therapist' });
    const ctl = mount(c, { analysers: a, source: pollSummary(c) });
    ctl.connect!(room);
    await advance(2000);
    const strip = () => c.root.querySelector('.strip');
    const stripEvents = () => c.events.filter(([e]) => e === 'strip').map(([, d]) => d);
    expect(strip()).not.toBeNull();
    expect(strip()?.textContent).toContain('Only you see this');

    ctl.hideStrip!();
    await advance(1000);
    expect(strip()).toBeNull(); // measuring goes on, nothing drawn
    ctl.showStrip!();
    await advance(1000);
    expect(strip()).not.toBeNull();

    video.set('TR_screen', { source: 'screen_share', isMuted: false });
    emit('localTrackPublished');
    await advance(1000);
    expect(strip()).toBeNull();
    video.delete('TR_screen');
    emit('localTrackUnpublished');
    await advance(1000);
    expect(strip()).not.toBeNull();
    expect(stripEvents()).toEqual([
      { visible: false, reason: 'api' },
      { visible: true, reason: 'api' },
      { visible: false, reason: 'screen-share' },
      { visible: true, reason: 'screen-share' },
    ]);
    ctl.teardown();
  });
});
