// therapist.js: the therapist's chunk. During the call it measures the conversation from the audio the host
// attaches (Attune.connect(room) or Attune.attachAudio) and shows the pacing strip with rare, calm cues; after
// endSession() it posts the pacing aggregates and shows the summary card, pushed live over a WebSocket (polling as
// the fallback) until the client has answered.
import * as v from 'valibot';
import type { Instrument } from '../../schemas/instrument.ts';
import { DEFAULT_CUE_SETTINGS, PacingAggregates, type CueSettings } from '../../schemas/pacing.ts';
import type { SessionContext, SessionSummary } from '../../schemas/summary.ts';
import { createPacingMeter, type PacingMeter } from './audio/pacing-meter.ts';
import { audioInput, isAudioInput } from './audio/role-sources.ts';
import { followRoom, isRoomLike } from './audio/livekit-room.ts';
import { aggregatesOf, type Cue, type PacingSnapshot } from '../../pacing/index.ts';
import { getJson, sessionPath } from '../shared/api.ts';
import type { MountContext, RoleController } from '../shared/contract.ts';
import { pickLocale } from '../shared/i18n.ts';
import { mountView } from '../shared/mount.ts';
import { createOutbox } from '../shared/outbox.ts';
import { PacingStrip } from './pacing-strip.tsx';
import { loadLocale, localeOf, THERAPIST_LANGS } from './strings/index.ts';
import { liveSummary } from './live-summary.ts';
import type { SummarySource } from './summary-source.ts';
import { THERAPIST_CSS } from './therapist.css.ts';
import { TREND_CSS } from './trend.css.ts';
import type { TrackAnalysers } from './audio/track-analysers.ts';

type SummaryView = typeof import('./summary-view.tsx');
let summaryView: SummaryView | null = null;
/** The summary's chunk (once loaded, kept for every later mount); a failed load is tried again on the next call. */
const loadSummaryView = (): Promise<SummaryView> => import('./summary-view.tsx').then((m) => (summaryView = m));

export interface TherapistState {
  phase: 'call' | 'ended';
  /** Null until the context arrives (or the default instrument's chunk, when the context fails). */
  instrument: Instrument | null;
  locale: string;
  summary: SessionSummary | null;
  /** The latest pacing snapshot while measuring (null: no audio attached, nothing drawn during the call). */
  snapshot: PacingSnapshot | null;
  cue: Cue | null;
  /** What this browser measured, shown until the server's summary carries it. */
  localPacing: PacingAggregates | null;
  /** Attune.hideStrip() was called (until showStrip()). */
  stripHidden: boolean;
  /** The therapist shares their screen (seen by Attune.connect(room)): the strip hides meanwhile. */
  sharing: boolean;
  /** The platform's balance window (seconds), for the strip's label. */
  windowSeconds: number;
}

const LOCALES = THERAPIST_LANGS;

function TherapistView({ state: s, onDismiss }: { state: TherapistState; onDismiss: () => void }) {
  const words = localeOf(s.locale);
  const dir = words.rtl ? 'rtl' : 'ltr';
  if (s.phase === 'call') {
    if (!s.snapshot || s.stripHidden || s.sharing) return null;
    return (
      <div dir={dir}>
        <PacingStrip
          snapshot={s.snapshot}
          cue={s.cue}
          strings={words.pacing}
          locale={s.locale}
          windowSeconds={s.windowSeconds}
          onDismiss={onDismiss}
        />
      </div>
    );
  }
  if (!summaryView) return null; // on its way (fetched at mount): drawn as soon as it is here
  const { SummaryCard, PacingSection } = summaryView;
  const pacing = s.summary?.pacing ?? s.localPacing;
  return (
    <div dir={dir}>
      <SummaryCard
        summary={s.summary}
        instrument={s.instrument}
        locale={s.locale}
        strings={words.summary}
        rtl={!!words.rtl}
      >
        {pacing && (
          <PacingSection pacing={pacing} confirmed={!!s.summary?.pacing} locale={s.locale} strings={words.pacing} />
        )}
      </SummaryCard>
    </div>
  );
}

export interface TherapistOptions {
  /** Where summaries come from; the live push (WebSocket, polling as its fallback) by default. */
  source?: SummarySource;
  /** Audio analysis (tests pass fakes); WebAudio by default. */
  analysers?: TrackAnalysers;
  /** Level polling period in ms (default 20). */
  periodMs?: number;
}

export function mount(ctx: MountContext, opts: TherapistOptions = {}): RoleController {
  let state: TherapistState = {
    phase: 'call',
    instrument: null,
    locale: pickLocale(LOCALES, ctx.locale, navigator.language),
    summary: null,
    snapshot: null,
    cue: null,
    localPacing: null,
    stripHidden: false,
    sharing: false,
    windowSeconds: DEFAULT_CUE_SETTINGS.balanceWindowSeconds,
  };
  const view = mountView(ctx, THERAPIST_CSS + TREND_CSS, state.locale);
  let torn = false;
  let loading = 'en';
  const set = (patch: Partial<TherapistState>) => {
    state = { ...state, ...patch };
    view.lang(state.locale);
    view.show(<TherapistView state={state} onDismiss={dismissCue} />);
    // Drawn in English until the locale's own chunk arrives, then drawn again in it.
    const wanted = state.locale;
    if (wanted !== loading) {
      loading = wanted;
      void loadLocale(wanted).then((words) => !torn && wanted === state.locale && words !== localeOf('en') && set({}));
    }
  };
  const queue = `attune:outbox:${ctx.sid}:therapist`;
  const pacingPath = sessionPath('pacing');
  /** This widget's pacing is still on its way (queued, or posted and not yet in a summary): keep listening. */
  let pacingDue = false;
  const source = opts.source ?? liveSummary(ctx, { holdOpen: () => pacingDue });
  const abort = new AbortController();
  let stopSource: (() => void) | null = null;
  let stopRoom: (() => void) | null = null;
  let meter: PacingMeter | null = null;
  let sessionOptions: { schedule: SessionContext['schedule']; cues: Partial<CueSettings> | undefined } | null = null;

  const outbox = createOutbox({
    storageKey: queue,
    api: ctx.api,
    token: ctx.token,
    onDelivered: ({ item, status, body, queue: q }) =>
      q === queue && item.kind === 'pacing' && ctx.emit('pacing:sent', { status, body }),
    onError: (err, item, q) => {
      // Dropped for good: it will never show up in a summary.
      if (q === queue && item.kind === 'pacing' && !outbox.items().some((i) => i.key === item.key)) pacingDue = false;
      ctx.error(err);
    },
  });
  const unlisten = outbox.listen(window);
  void outbox.flush(); // whatever a closed tab (of any session or role) did not get to send

  /**
   * The tab may be closing mid-call: keep what was measured so far in the outbox, unsent, under this session's one
   * idempotency key. Once written it is rewritten with every snapshot (so other tabs see it is alive and leave it
   * alone); endSession() replaces it with the final numbers and sends them. If the tab does close, a page that
   * mounts the widget later sends it (it is the best there is).
   */
  let drafted = false;
  const draft = () => {
    if (state.phase === 'call' && state.snapshot) {
      drafted = true;
      outbox.enqueue('pacing', pacingPath, aggregatesOf(state.snapshot), true);
    }
  };
  const saveDraft = (e: Event) => (e.type === 'pagehide' || document.visibilityState === 'hidden') && draft();
  document.addEventListener('visibilitychange', saveDraft);
  window.addEventListener('pagehide', saveDraft);

  function dismissCue() {
    meter?.dismissCue();
    set({ cue: null });
  }

  /** The meter exists only once the host attaches audio: no AudioContext, no timer before. */
  const ensureMeter = (): PacingMeter => {
    if (meter) return meter;
    meter = createPacingMeter({
      win: window,
      ...(opts.analysers ? { analysers: opts.analysers } : {}),
      ...(opts.periodMs ? { periodMs: opts.periodMs } : {}),
      onCue: (cue) => {
        set({ cue });
        ctx.emit('cue', { kind: cue.kind, key: cue.key, minutesLeft: cue.minutesLeft });
      },
      onSnapshot: (snapshot, stats) => {
        set({ snapshot, cue: snapshot.cue });
        if (drafted) draft();
        ctx.emit('pacing', { ...snapshot, tick: stats });
      },
    });
    if (sessionOptions) meter.configure(sessionOptions);
    return meter;
  };

  getJson<SessionContext>(ctx, '/v1/context', abort.signal)
    .catch((): Partial<SessionContext> => ({})) // default cue settings and no schedule (no time cues)
    .then((c) => {
      if (abort.signal.aborted) return;
      sessionOptions = { schedule: c.schedule ?? null, cues: c.cues };
      meter?.configure(sessionOptions);
      set({
        instrument: c.instrument ?? state.instrument,
        locale: pickLocale(LOCALES, c.locale, ctx.locale, navigator.language),
        windowSeconds: c.cues?.balanceWindowSeconds ?? state.windowSeconds,
      });
      // Without a context, the item names come from the bundled default instrument (a lazy chunk: the size budget).
      if (!c.instrument && !state.instrument) {
        void import('../client/default-instrument.ts').then(
          (m) => !abort.signal.aborted && !state.instrument && set({ instrument: m.DEFAULT_INSTRUMENT }),
          () => undefined, // item ids stand in for their names
        );
      }
    });

  const endSession = () => {
    if (state.phase === 'ended') return;
    stopRoom?.();
    stopRoom = null;
    const aggregates = meter?.end() ?? null;
    let localPacing: PacingAggregates | null = null;
    if (aggregates) {
      const parsed = v.safeParse(PacingAggregates, aggregates);
      if (parsed.success) {
        localPacing = parsed.output;
        pacingDue = true;
        outbox.enqueue('pacing', pacingPath, parsed.output);
        ctx.emit('pacing:queued', parsed.output);
      } else {
        ctx.error({ code: 'invalid_pacing', message: 'Attune: the pacing aggregates did not pass validation' });
      }
    }
    set({ phase: 'ended', snapshot: null, cue: null, localPacing });
    drawSummary();
    stopSource = source((summary) => {
      if (summary.pacing) pacingDue = false;
      set({ summary });
      ctx.emit('summary', summary);
    }, ctx.error);
  };

  /** The strip shows unless hidden by the API or by a screen share; the host hears each change. */
  const stripVisible = (
    patch: Pick<Partial<TherapistState>, 'stripHidden' | 'sharing'>,
    reason: 'api' | 'screen-share',
  ) => {
    const before = !state.stripHidden && !state.sharing;
    set(patch);
    const after = !state.stripHidden && !state.sharing;
    if (before !== after) ctx.emit('strip', { visible: after, reason });
  };

  set({});
  const drawSummary = () => {
    if (summaryView) return;
    loadSummaryView().then(
      () => !torn && state.phase === 'ended' && set({}),
      () =>
        state.phase === 'ended' &&
        ctx.error({ code: 'chunk_load_failed', message: 'Attune: the summary view could not be loaded' }),
    );
  };
  drawSummary();
  return {
    hideStrip: () => stripVisible({ stripHidden: true }, 'api'),
    // Showing by hand also overrides the current screen share (until the next one starts).
    showStrip: () => stripVisible({ stripHidden: false, sharing: false }, 'api'),
    attachAudio(sources) {
      if (state.phase === 'ended') return;
      if (!sources || typeof sources !== 'object') {
        ctx.error({ code: 'bad_audio', message: 'Attune.attachAudio expects { local, remote }' });
        return;
      }
      const m = ensureMeter();
      for (const [role, key] of [
        ['local', 'local'],
        ['remote', 'remote'],
      ] as const) {
        if (!(key in sources)) continue; // an omitted role keeps its sources
        const x = sources[key];
        if (x != null && !isAudioInput(x)) {
          ctx.error({
            code: 'bad_audio',
            message: `Attune.attachAudio: ${key} is not a MediaStreamTrack, MediaStream or RTCRtpReceiver`,
          });
          continue;
        }
        m.setSources(role, audioInput(x));
      }
    },
    connect(room) {
      if (state.phase === 'ended') return;
      if (!isRoomLike(room)) {
        ctx.error({ code: 'bad_room', message: 'Attune.connect expects a livekit-client Room' });
        return;
      }
      stopRoom?.();
      const m = ensureMeter();
      stopRoom = followRoom(room, {
        setSources: (role, list) => m.setSources(role, list),
        refresh: () => m.refresh(),
        disconnected: endSession,
        screenShare: (sharing) => stripVisible({ sharing }, 'screen-share'),
      });
    },
    endSession,
    teardown() {
      torn = true;
      abort.abort();
      stopRoom?.();
      meter?.stop();
      stopSource?.();
      outbox.stop();
      unlisten();
      document.removeEventListener('visibilitychange', saveDraft);
      window.removeEventListener('pagehide', saveDraft);
      view.teardown();
    },
  };
}
