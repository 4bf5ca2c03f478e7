import type { PacingAggregates } from '../../../schemas/pacing.ts';
import {
  createPacingSession,
  type Cue,
  type PacingSession,
  type PacingSessionOptions,
  type PacingSnapshot,
} from '../../../pacing/index.ts';
import { roleLevelOrFlag, tracksOf, type Role, type RoleSource, type Sources } from './role-sources.ts';
import { createTrackAnalysers, type TrackAnalysers } from './track-analysers.ts';

/** Main-thread cost of the level ticks, for the bench and the `pacing` event. */
export interface TickStats {
  ticks: number;
  meanMs: number;
  maxMs: number;
  /** Ticks that took longer than 4 ms. */
  over4Ms: number;
  /** The first tick (it builds the engine and runs its code cold). */
  firstMs: number;
  /** The longest tick after the first. */
  maxAfterFirstMs: number;
  /** The longest once-a-second tick: level work plus the sources re-read and the snapshot. */
  uiMaxMs: number;
  /** The longest render of a snapshot (the strip), run as a task of its own after that tick. */
  renderMaxMs: number;
}

export interface PacingMeterOptions {
  win: Window & typeof globalThis;
  /** A new cue to show and announce. */
  onCue: (cue: Cue) => void;
  /** About once per uiMs while measuring: what the strip draws. */
  onSnapshot: (s: PacingSnapshot, stats: TickStats) => void;
  /** Level polling period (ms); default 20. */
  periodMs?: number;
  /** Snapshot period (ms); default 1000. Sources are also re-read at this rate (tracks replaced without events). */
  uiMs?: number;
  /** Analysers over the page's audio; default WebAudio (tests pass fakes). */
  analysers?: TrackAnalysers;
}

export interface PacingMeter {
  /** Where a role's audio comes from now; called again whenever the sources may have changed. */
  setSources(role: Role, list: () => RoleSource[]): void;
  /** Schedule and cue settings (GET /v1/context); measuring starts once configured and some source exists. */
  configure(options: PacingSessionOptions): void;
  /** Re-read the sources now (a track was published, muted, replaced...). */
  refresh(): void;
  dismissCue(): void;
  /** Stops measuring, releases the audio graph, and returns the aggregates (null if nothing was ever measured). */
  end(): PacingAggregates | null;
  stats(): TickStats;
  /** Stops timers and releases the audio graph without ending the session's numbers (teardown). */
  stop(): void;
}

/**
 * Feeds the pacing engine from live audio: every periodMs it reads both roles' levels (sum of powers over each
 * role's sources), or a role's speaking flag where no level can be read, and pushes one frame; it hands new cues
 * over at once and a snapshot about once a second.
 */
export function createPacingMeter(opts: PacingMeterOptions): PacingMeter {
  const { win } = opts;
  const periodMs = opts.periodMs ?? 20;
  const uiMs = opts.uiMs ?? 1000;
  const analysers = opts.analysers ?? createTrackAnalysers(win, periodMs);
  const lists: Record<Role, () => RoleSource[]> = { local: () => [], remote: () => [] };
  let sources: Sources = { local: [], remote: [] };
  let session: PacingSession | null = null;
  let config: PacingSessionOptions | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  let uiTimer: ReturnType<typeof setTimeout> | undefined;
  let ended = false;
  let nextUi = 0;
  const stats: TickStats = {
    ticks: 0,
    meanMs: 0,
    maxMs: 0,
    over4Ms: 0,
    firstMs: 0,
    maxAfterFirstMs: 0,
    uiMaxMs: 0,
    renderMaxMs: 0,
  };
  let totalMs = 0;
  const perf = win.performance;
  const epoch = () => perf.timeOrigin + perf.now();

  const read = () => {
    const next: Sources = { local: safe(lists.local), remote: safe(lists.remote) };
    sources = next;
    analysers.sync(tracksOf(next));
  };
  const hasSources = () => sources.local.length > 0 || sources.remote.length > 0;

  const tick = () => {
    const t0 = perf.now();
    if (!session) {
      if (!config || !hasSources()) return;
      session = createPacingSession({ ...config, frameMs: periodMs });
      nextUi = t0;
    }
    const now = epoch();
    session.pushMixed(
      t0,
      roleLevelOrFlag(sources.local, analysers, now),
      roleLevelOrFlag(sources.remote, analysers, now),
    );
    const cue = session.takeCue();
    if (cue) opts.onCue(cue);
    const dt = perf.now() - t0;
    stats.ticks++;
    totalMs += dt;
    stats.meanMs = totalMs / stats.ticks;
    if (dt > stats.maxMs) stats.maxMs = dt;
    if (stats.ticks === 1) stats.firstMs = dt;
    else if (dt > stats.maxAfterFirstMs) stats.maxAfterFirstMs = dt;
    if (dt > 4) stats.over4Ms++;
    if (t0 < nextUi) return;
    // Once a second: re-read the sources (tracks replaced without an event), then the snapshot and the render.
    nextUi = t0 + uiMs;
    read();
    const snap = session.snapshot();
    const whole = perf.now() - t0;
    if (whole > stats.uiMaxMs) stats.uiMaxMs = whole;
    // The render gets a task of its own, so no single task holds the main thread for long.
    uiTimer = setTimeout(() => {
      const r0 = perf.now();
      opts.onSnapshot(snap, { ...stats });
      const r = perf.now() - r0;
      if (r > stats.renderMaxMs) stats.renderMaxMs = r;
    }, 0);
  };

  const run = () => {
    if (ended || timer !== undefined || !config || !hasSources()) return;
    timer = setInterval(tick, periodMs);
    tick();
  };

  return {
    setSources(role, list) {
      lists[role] = list;
      if (ended) return;
      read();
      run();
    },
    configure(options) {
      if (config) return;
      config = options;
      run();
    },
    refresh() {
      if (ended) return;
      read();
      run();
    },
    dismissCue: () => session?.dismissCue(),
    end() {
      if (!ended) {
        ended = true;
        clearInterval(timer);
        clearTimeout(uiTimer);
        timer = undefined;
        session?.end(perf.now());
        analysers.close();
      }
      return session ? session.aggregates() : null;
    },
    stats: () => ({ ...stats }),
    stop() {
      ended = true;
      clearInterval(timer);
      clearTimeout(uiTimer);
      timer = undefined;
      analysers.close();
    },
  };
}

function safe(list: () => RoleSource[]): RoleSource[] {
  try {
    return list();
  } catch {
    return []; // a host object that throws (a closed Room) counts as no source
  }
}
