// Pacing over a real WebRTC path in Debian's Chromium: one recorded-speech dialogue (a committed realistic
// fixture), the therapist's side captured by getUserMedia with the browser's default echo cancellation, noise
// suppression and AGC on (the fake capture device plays the therapist's WAV), the client's side sent through two
// real RTCPeerConnections in the page (Opus) and measured on the receiving end, as the widget's pacing meter
// does (analyser on the local track, RTP audio levels or the analyser on the remote one). Both sides loop with
// the fixture's period, so a window of one period holds the truth's talk exactly; the share measured over it must
// be within 2 points of the truth.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { truthMetrics } from '../../scripts/lib-analyze.ts';
import type { RealisticTruth } from '../../scripts/lib-realistic.ts';
import { freePort, launchChromium } from './stack.ts';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/realistic/03-echo-agc-creep');
const truth = JSON.parse(readFileSync(join(FIXTURE, 'truth.json'), 'utf8')) as RealisticTruth;
const PERIOD_MS = truth.durationSeconds * 1000;
/** Measuring starts after this much of the call (floors and couplings learnt), then runs one period. */
const WARMUP_MS = 6000;

/** The page's script: the widget's own pacing meter over a getUserMedia track and a WebRTC-received track. */
const HARNESS = `
import { createPacingMeter } from ${JSON.stringify(join(ROOT, 'widget/therapist/audio/pacing-meter.ts'))};
const w = window;
w.snaps = [];
async function main() {
  const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
  const settings = mic.getAudioTracks()[0].getSettings();
  w.micSettings = { echoCancellation: settings.echoCancellation, noiseSuppression: settings.noiseSuppression, autoGainControl: settings.autoGainControl };
  const ctx = new AudioContext();
  const buf = await ctx.decodeAudioData(await (await fetch('/client.wav')).arrayBuffer());
  const src = ctx.createBufferSource();
  src.buffer = buf;
  src.loop = true;
  const dest = ctx.createMediaStreamDestination();
  src.connect(dest);
  const pc1 = new RTCPeerConnection();
  const pc2 = new RTCPeerConnection();
  pc1.onicecandidate = (e) => e.candidate && pc2.addIceCandidate(e.candidate);
  pc2.onicecandidate = (e) => e.candidate && pc1.addIceCandidate(e.candidate);
  const received = new Promise((resolve) => { pc2.ontrack = (e) => resolve(e); });
  pc1.addTrack(dest.stream.getAudioTracks()[0], dest.stream);
  await pc1.setLocalDescription(await pc1.createOffer());
  await pc2.setRemoteDescription(pc1.localDescription);
  await pc2.setLocalDescription(await pc2.createAnswer());
  await pc1.setRemoteDescription(pc2.localDescription);
  const ev = await received;
  // Chromium feeds a remote WebRTC track to WebAudio only while a media element plays it (muted is enough).
  const el = new Audio();
  el.muted = true;
  el.srcObject = new MediaStream([ev.track]);
  await el.play();
  src.start();
  w.codecs = async () => [...(await pc2.getStats()).values()].filter((s) => s.type === 'codec').map((s) => s.mimeType);
  const meter = createPacingMeter({
    win: w,
    onCue() {},
    onSnapshot(s) { w.snaps.push({ at: performance.now(), t: s.therapistTalkMs, c: s.clientTalkMs }); },
  });
  meter.setSources('local', () => [{ track: mic.getAudioTracks()[0] }]);
  meter.setSources('remote', () => [{ track: ev.track, receiver: ev.receiver }]);
  meter.configure({});
  w.started = performance.now();
}
main().catch((e) => { w.failed = String(e); });
`;

let server: Server;
let browser: Browser;
let url = '';

beforeAll(async () => {
  const js = await esbuild.build({
    stdin: { contents: HARNESS, loader: 'ts', resolveDir: ROOT },
    bundle: true,
    write: false,
    format: 'esm',
  });
  const clientWav = readFileSync(join(FIXTURE, 'client.wav'));
  const port = await freePort();
  server = createServer((req, res) => {
    if (req.url === '/client.wav') res.writeHead(200, { 'content-type': 'audio/wav' }).end(clientWav);
    else if (req.url === '/harness.js')
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(js.outputFiles[0]!.text);
    else
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><script type="module" src="/harness.js"></script>');
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  url = `http://127.0.0.1:${port}/`;
  browser = await launchChromium([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${join(FIXTURE, 'therapist.wav')}`,
  ]);
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

describe('pacing over real WebRTC in Chromium', () => {
  it(`measures the therapist's share of a recorded dialogue within 2 points (AEC, NS and AGC on, Opus)`, {
    timeout: 150_000,
  }, async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(
      () =>
        (window as unknown as { started?: number; failed?: string }).started !== undefined ||
        (window as unknown as { failed?: string }).failed !== undefined,
      null,
      { timeout: 30_000 },
    );
    const setup = await page.evaluate(() => {
      const w = window as unknown as { failed?: string; micSettings: Record<string, boolean> };
      return { failed: w.failed, mic: w.micSettings };
    });
    expect(setup.failed).toBeUndefined();
    expect(setup.mic).toEqual({ echoCancellation: true, noiseSuppression: true, autoGainControl: true });
    type W = { snaps: { at: number; t: number; c: number }[]; started: number };
    // The first snapshot after the warm-up, then the first one a whole period later.
    const from = await page.waitForFunction(
      (warm) => {
        const w = window as unknown as W;
        return w.snaps.find((s) => s.at >= w.started + warm) ?? false;
      },
      WARMUP_MS,
      { timeout: WARMUP_MS + 20_000, polling: 250 },
    );
    const a = (await from.jsonValue()) as { at: number; t: number; c: number };
    // By now the receiving side has decoded media: its stats name the codec.
    expect(await page.evaluate(() => (window as unknown as { codecs: () => Promise<string[]> }).codecs())).toContain(
      'audio/opus',
    );
    const to = await page.waitForFunction(
      ({ at, period }) => (window as unknown as W).snaps.find((s) => s.at >= at + period) ?? false,
      { at: a.at, period: PERIOD_MS },
      { timeout: PERIOD_MS + 30_000, polling: 250 },
    );
    const b = (await to.jsonValue()) as { at: number; t: number; c: number };
    const expected = truthMetrics(truth);
    const t = b.t - a.t;
    const c = b.c - a.c;
    // The window is one period to within a snapshot's jitter (about 1 s in 40).
    const share = t / (t + c);
    console.log(
      `webrtc: therapist ${t} ms, client ${c} ms, share ${(share * 100).toFixed(2)} % (truth ${(expected.therapistShare * 100).toFixed(2)} %)`,
    );
    expect(t + c).toBeGreaterThan(0.5 * (expected.therapistTalkSeconds + expected.clientTalkSeconds) * 1000);
    expect(Math.abs(share - expected.therapistShare) * 100).toBeLessThanOrEqual(2);
    await page.close();
  });
});
