// The LiveKit adapter against the real livekit-client classes in Chromium: a Room, LocalAudioTrack over the fake
// microphone (a fixture WAV that loops), RemoteAudioTracks over WebAudio voices, publications with real TrackInfo,
// and the Room's events emitted as LiveKit emits them (no server). The widget (loaded by its script tag on the
// demo host) must follow publish, subscribe, mute, replace and unsubscribe, two remote participants, a
// reconnection, LiveKit's speaking flag for a participant without a subscribed track, and end the session on
// Disconnected. Talk time per role is read from Attune.on('pacing').
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startStack, type Stack } from './stack.ts';
import { mintDemoTokens, paneUrl, widgetText } from './page-helpers.ts';

const WAV = join(import.meta.dirname, '../fixtures/dialogues/dialogue-01/clean-therapist.wav');
/** Therapist speech per 10 s loop of that WAV (truth.json: 0.766 to 4.025 s). */
const LOCAL_TALK_PER_LOOP = 3.26;

let stack: Stack;
let browser: Browser;
let pageCode: string;

beforeAll(async () => {
  const built = await esbuild.build({
    entryPoints: [join(import.meta.dirname, 'fixtures-for-browser/livekit-page.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'warning',
  });
  pageCode = built.outputFiles[0]!.text;
  stack = await startStack();
  browser = await launchChromium([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${WAV}`,
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface Snap {
  elapsedMs: number;
  therapistTalkMs: number;
  clientTalkMs: number;
}

type Lk = Record<string, (...a: unknown[]) => unknown>;
const lk = (page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(([m, a]) => (window as unknown as { lk: Lk }).lk[m as string]!(...(a as unknown[])) as unknown, [
    method,
    args,
  ] as const);

const last = (page: Page) => page.evaluate(() => (window as unknown as { __snaps: Snap[] }).__snaps.at(-1) ?? null);

/** Waits until the meter has measured up to `until` ms of the call (measured time, not the wall clock). */
const measuredUntil = (page: Page, until: number, timeout: number) =>
  page.waitForFunction((u) => ((window as unknown as { __snaps: Snap[] }).__snaps.at(-1)?.elapsedMs ?? 0) >= u, until, {
    timeout,
    polling: 200,
  });

/** Talk added per role over the next `ms` of measured time (after `settleMs` of it for the VAD's lag). */
async function talkOver(page: Page, ms: number, settleMs = 1200): Promise<{ t: number; c: number }> {
  await measuredUntil(page, ((await last(page))?.elapsedMs ?? 0) + settleMs, settleMs + 10_000);
  const a = (await last(page))!;
  await measuredUntil(page, a.elapsedMs + ms, ms + 10_000);
  const b = (await last(page))!;
  return { t: (b.therapistTalkMs - a.therapistTalkMs) / 1000, c: (b.clientTalkMs - a.clientTalkMs) / 1000 };
}

it('follows the real livekit-client Room: publish, subscribe, mute, replace, unsubscribe, two clients, Disconnected', async () => {
  const { therapist } = await mintDemoTokens(stack.api, stack.host, { minutes: 50 });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(paneUrl(stack.host, 'therapist', therapist) + '&audio=none');
  await page.waitForFunction(
    () => typeof (window as { Attune?: { connect?: unknown } }).Attune?.connect === 'function',
  );
  await page.evaluate(pageCode);
  await page.evaluate(() => {
    const w = window as unknown as {
      __snaps: unknown[];
      __sent: unknown[];
      Attune: { on(e: string, cb: (d: unknown) => void): void };
    };
    w.__snaps = [];
    w.__sent = [];
    w.Attune.on('pacing', (s) => w.__snaps.push(s));
    w.Attune.on('pacing:sent', (s) => w.__sent.push(s));
  });

  // State before connect(): the microphone is published and client A is subscribed. connect() must take it as is.
  await lk(page, 'publishLocal');
  await lk(page, 'connectRemote', 'client-a');
  await lk(page, 'publishRemote', 'client-a');
  await lk(page, 'subscribeRemote', 'client-a');
  const baseline = (await lk(page, 'listeners', 'trackSubscribed')) as number;
  const baselineDisconnected = (await lk(page, 'listeners', 'disconnected')) as number;
  await page.evaluate(() =>
    (window as unknown as { Attune: { connect(r: unknown): void }; lk: { room: unknown } }).Attune.connect(
      (window as unknown as { lk: { room: unknown } }).lk.room,
    ),
  );
  await page.waitForFunction(() => (window as unknown as { __snaps: unknown[] }).__snaps.length > 0);
  expect(await lk(page, 'listeners', 'trackSubscribed')).toBe(baseline + 1);

  // The therapist's microphone (the looping WAV) is measured; A is silent.
  let d = await talkOver(page, 10_000);
  expect(d.t).toBeGreaterThan(LOCAL_TALK_PER_LOOP - 1);
  expect(d.t).toBeLessThan(LOCAL_TALK_PER_LOOP + 1.2);
  expect(d.c).toBeLessThan(0.3);

  // A speaks: client talk.
  await lk(page, 'speak', 'client-a', true);
  d = await talkOver(page, 3000);
  expect(d.c).toBeGreaterThan(2.4);
  await lk(page, 'speak', 'client-a', false);

  // A muted by the server: nothing counts while muted, even with sound in the track.
  await lk(page, 'muteRemote', 'client-a', true);
  await lk(page, 'speak', 'client-a', true);
  d = await talkOver(page, 3000);
  expect(d.c).toBeLessThan(0.3);
  await lk(page, 'muteRemote', 'client-a', false);
  d = await talkOver(page, 3000);
  expect(d.c).toBeGreaterThan(2.4);
  await lk(page, 'speak', 'client-a', false);

  // A second remote participant joins, publishes and is subscribed: followed too.
  await lk(page, 'connectRemote', 'client-b');
  await lk(page, 'publishRemote', 'client-b');
  await lk(page, 'subscribeRemote', 'client-b');
  await lk(page, 'speak', 'client-b', true);
  d = await talkOver(page, 3000);
  expect(d.c).toBeGreaterThan(2.4);
  await lk(page, 'speak', 'client-b', false);

  // A participant whose audio is not subscribed (e.g. a phone dial-in still joining): LiveKit's speaking flag stands in.
  await lk(page, 'connectRemote', 'client-c');
  await lk(page, 'speakerUpdate', 'client-c', true);
  d = await talkOver(page, 3000);
  expect(d.c).toBeGreaterThan(2.4);
  await lk(page, 'speakerUpdate', 'client-c', false);
  d = await talkOver(page, 3000);
  expect(d.c).toBeLessThan(0.3);
  await lk(page, 'disconnectRemote', 'client-c');

  // A unsubscribed: no longer measured, though its old track still carries sound.
  await lk(page, 'speak', 'client-a', true);
  await lk(page, 'unsubscribeRemote', 'client-a');
  d = await talkOver(page, 3000);
  expect(d.c).toBeLessThan(0.3);
  await lk(page, 'speak', 'client-a', false);

  // A reconnection in which B's track comes back as a new MediaStreamTrack (re-subscribed).
  await lk(page, 'reconnect');
  await lk(page, 'unsubscribeRemote', 'client-b');
  await lk(page, 'subscribeRemote', 'client-b');
  await lk(page, 'speak', 'client-b', true);
  d = await talkOver(page, 3000);
  expect(d.c).toBeGreaterThan(2.4);
  await lk(page, 'speak', 'client-b', false);

  // The therapist mutes: nothing counts for the therapist.
  await lk(page, 'muteLocal', true);
  d = await talkOver(page, 10_000);
  expect(d.t).toBeLessThan(0.3);
  await lk(page, 'muteLocal', false);

  // The microphone is replaced (restartTrack: a new MediaStreamTrack, the old one ended): followed.
  expect(await lk(page, 'restartLocal')).toBe(true);
  d = await talkOver(page, 10_000, 1500);
  expect(d.t).toBeGreaterThan(LOCAL_TALK_PER_LOOP - 1);

  // B leaves the room.
  await lk(page, 'disconnectRemote', 'client-b');

  // Disconnected ends the session: aggregates posted, summary shown, listeners removed.
  await lk(page, 'disconnect');
  await expect
    .poll(() =>
      page.evaluate(() => (window as unknown as { __sent: Array<{ status: number }> }).__sent.map((s) => s.status)),
    )
    .toEqual([201]);
  await expect.poll(() => widgetText(page), { timeout: 15_000 }).toContain('Pacing this session');
  expect(await lk(page, 'listeners', 'trackSubscribed')).toBe(baseline);
  expect(await lk(page, 'listeners', 'disconnected')).toBe(baselineDisconnected);
  expect(errors).toEqual([]);
  await page.close();
});
