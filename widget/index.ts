// `attune/widget`: the widget for bundlers (ESM). The same widget as the script tag: one <attune-widget> with one
// shadow root; the role's UI is a lazy chunk of this package. The public types live here, self-contained (no
// livekit-client, valibot or Preact types leak to a consumer); test/node/package-types.test.ts keeps them in step
// with the internal ones.
import { boot } from './embed/boot.ts';
import { decodeClaims } from './embed/config.ts';
import { mountCaseloadHost } from './embed/caseload-host.ts';

export type Role = 'client' | 'therapist';

export interface MountOptions {
  /** The session token your server minted for this participant (`attune/server`). */
  token: string;
  /** The Attune API origin, e.g. `https://attune.example`. */
  api: string;
  /** Where to mount: an element or a selector. Without one the widget floats at the bottom right. */
  target?: Element | string;
  /** Your page's CSP nonce: set on every `<style>` the widget adds. */
  nonce?: string;
  /** Force light or dark; default: the system setting. Change later with the `data-theme` attribute of `<attune-widget>`. */
  theme?: 'light' | 'dark';
  /** Client: your own words for who sees the answers, shown above the rating (like `data-privacy-note`). */
  privacyNote?: string;
  /** Give up loading the role's UI after this long (default 15 s); reported as `chunk_load_failed`. */
  timeoutMs?: number;
  /** Listeners attached before anything starts, so they hear start-up events (`error` for a bad token, `ready`). */
  on?: { [E in keyof AttuneEvents]?: (detail: AttuneEvents[E]) => void };
}

/** An audio source of one role: a track, a stream (its audio tracks), a receiver (its packet levels), or several. */
export type AudioSource =
  | MediaStreamTrack
  | MediaStream
  | RTCRtpReceiver
  | ReadonlyArray<MediaStreamTrack | MediaStream | RTCRtpReceiver>;

/** `local` is the therapist, `remote` the client (or everyone else). `null` clears a role; an omitted key keeps it. */
export interface AudioSources {
  local?: AudioSource | null;
  remote?: AudioSource | null;
}

/** What the widget reads of a livekit-client `Room` (a real Room fits; livekit-client is never bundled). */
export interface RoomLike {
  on(event: never, fn: (...args: never[]) => void): unknown;
  off(event: never, fn: (...args: never[]) => void): unknown;
  localParticipant: ParticipantLike;
  remoteParticipants: Map<string, ParticipantLike>;
}
export interface ParticipantLike {
  isSpeaking: boolean;
  audioTrackPublications: Map<
    string,
    {
      source?: string;
      isMuted: boolean;
      track?: { mediaStreamTrack?: MediaStreamTrack | undefined; receiver?: RTCRtpReceiver | undefined } | undefined;
    }
  >;
}

export interface WidgetError {
  code: string;
  message: string;
}

export interface ApiError {
  error: { code: string; message: string };
}

export interface RatingReceipt {
  status: 'rated' | 'declined';
  /** Epoch seconds. */
  receivedAt: number;
  /** The summary reached an open therapist widget live. */
  delivered?: boolean;
}

export interface PacingAggregates {
  durationSeconds: number;
  therapistTalkSeconds: number;
  clientTalkSeconds: number;
  overlapSeconds: number;
  overlapCount: number;
  silenceSeconds: number;
  silenceCount: number;
  longestSilenceSeconds: number;
  longestTherapistTurnSeconds: number;
  therapistTurns: number;
  clientTurns: number;
  cuesShown: number;
}

export interface TrendPoint {
  at: number;
  total: number | null;
  items: { id: string; value: number }[];
  therapistShare: number | null;
}

export interface SessionSummary {
  status: 'pending' | 'rated' | 'declined';
  instrument: { id: string; version: number } | null;
  items: { id: string; value: number }[];
  total: number | null;
  maxTotal: number | null;
  flags: Flag[];
  ratedAt: number | null;
  pacing: PacingAggregates | null;
  trend?: {
    client: TrendPoint[];
    therapist: { days: number; sessions: number; meanTotal: number | null; meanTherapistShare: number | null };
  };
  asked?: boolean;
  /** True when the platform's feedback-fatigue setting skips this session: the client will not be asked. */
  skipped?: boolean;
}

/** Why a rating was flagged: the rule, its threshold, and the numbers it compared. An invitation, not an alarm. */
export type Flag =
  | { rule: 'total_below'; threshold: number; total: number }
  | { rule: 'item_below'; threshold: number; items: { id: string; value: number }[] }
  | { rule: 'drop_from_previous'; threshold: number; previous: number; total: number }
  | { rule: 'drop_from_mean'; threshold: number; mean: number; sessions: number; total: number };

export type CueKind = 'balance' | 'monologue' | 'overlap' | 'time';

/** A pacing cue, shown privately to the therapist. */
export interface CueRaised {
  kind: CueKind;
  /** Which wording (e.g. `balance.leaveRoom`, `time.minutesLeft`). */
  key: string;
  /** Time cues: whole minutes left when it was raised; otherwise null. */
  minutesLeft: number | null;
}

/** The live measures, about once a second while the therapist's widget measures. */
export interface PacingSnapshot {
  elapsedMs: number;
  remainingMs: number | null;
  therapistTalkMs: number;
  clientTalkMs: number;
  therapistShare: number | null;
  rollingTherapistShare: number | null;
  therapistTurns: number;
  clientTurns: number;
  overlapCount: number;
  silenceCount: number;
  cuesShown: number;
}

/** Every event and its detail. */
export interface AttuneEvents {
  ready: { role: Role };
  error: WidgetError;
  /** Client: the platform's feedback-fatigue setting skips this session; no card is shown. */
  'rating:not-asked': undefined;
  /** Client: a rating (or decline) was submitted and is in the outbox. */
  'rating:queued': { kind: 'rating' | 'declined' };
  /** Client: the API has it (2xx, or 409: it already had it). */
  'rating:sent': { status: number; body: RatingReceipt | ApiError | null };
  /** Therapist: a pacing cue was raised. */
  cue: CueRaised;
  pacing: PacingSnapshot;
  'pacing:queued': PacingAggregates;
  'pacing:sent': { status: number; body: unknown };
  /** Therapist: each new summary after endSession(). */
  summary: SessionSummary;
  /** Therapist: the pacing strip was hidden or shown again (by the API, or around a screen share). */
  strip: { visible: boolean; reason: 'api' | 'screen-share' };
}

export interface AttuneWidget {
  /** Follow a livekit-client Room's audio (therapist). */
  connect(room: RoomLike): void;
  /** Measure these tracks (therapist); any WebRTC stack. */
  attachAudio(sources: AudioSources): void;
  /**
   * The call ended: the client gets the rating card, the therapist the summary. `focus: true` when the user ended
   * the call themself: focus moves to the rating card's heading.
   */
  endSession(options?: { focus?: boolean }): void;
  /** Therapist: hide the private pacing strip (measuring goes on), e.g. while sharing the screen. */
  hideStrip(): void;
  /** Therapist: show the pacing strip again. */
  showStrip(): void;
  /** Tear everything down; nothing is left behind. */
  remove(): void;
  /** Subscribe; returns the unsubscribe. */
  on<E extends keyof AttuneEvents>(event: E, cb: (detail: AttuneEvents[E]) => void): () => void;
}

const CHUNK_BASE = 'attune:/';

/**
 * Mounts the widget (one per page: while one is mounted, this returns it). Never throws: a bad token or a failed
 * load arrives as an `error` event.
 *
 * @example
 * import { mount } from 'attune/widget';
 * const attune = mount({ token, api: 'https://attune.example', target: '#attune' });
 * attune.on('summary', (s) => console.log(s.total));
 * attune.connect(room); // or attune.attachAudio({ local, remote })
 */
export function mount(options: MountOptions): AttuneWidget {
  const claims = decodeClaims(options.token);
  const win = window as Window & { Attune?: { q?: unknown[] } & Partial<AttuneWidget> };
  const listeners = Object.entries(options.on ?? {});
  const mounted = win.Attune?.on ? (win.Attune as AttuneWidget) : undefined;
  if (mounted) {
    for (const [event, cb] of listeners) mounted.on(event as keyof AttuneEvents, cb as (d: unknown) => void);
    return mounted;
  }
  // The same pre-load queue the script-tag stub uses: boot() attaches these listeners before it starts.
  win.Attune ??= {};
  win.Attune.q ??= [];
  const q = win.Attune.q;
  for (const [event, cb] of listeners) q.push(['on', [event, cb]]);
  const api = boot(win, {
    importer: (url) =>
      url === CHUNK_BASE + 'therapist' ? import('./therapist/index.tsx') : import('./client/index.ts'),
    chunks: { client: 'client', therapist: 'therapist' },
    config: claims
      ? {
          ok: true,
          config: {
            token: options.token,
            ...claims,
            api: options.api.replace(/\/+$/, ''),
            base: CHUNK_BASE,
            target: options.target,
            nonce: options.nonce,
            theme: options.theme,
            privacyNote: options.privacyNote?.trim().slice(0, 500) || undefined,
          },
        }
      : { ok: false, code: 'bad_token', message: 'Attune: the token is not a session token' },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return api as AttuneWidget;
}

function current(): AttuneWidget | undefined {
  return (window as { Attune?: AttuneWidget }).Attune;
}

/** `connect` on the mounted widget (no-op when none is mounted). */
export function connect(room: RoomLike): void {
  current()?.connect(room);
}

/** `attachAudio` on the mounted widget (no-op when none is mounted). */
export function attachAudio(sources: AudioSources): void {
  current()?.attachAudio(sources);
}

/** `hideStrip` on the mounted widget (therapist). */
export function hideStrip(): void {
  current()?.hideStrip();
}

/** `showStrip` on the mounted widget (therapist). */
export function showStrip(): void {
  current()?.showStrip();
}

/** `endSession` on the mounted widget. */
export function endSession(options?: { focus?: boolean }): void {
  current()?.endSession(options);
}

/** Removes the mounted widget, if any. */
export function remove(): void {
  current()?.remove();
}

/** One of the therapist's clients as the host page knows them: the platform's own ref, and the name to show. */
export interface CaseloadClientRef {
  ref: string;
  /** Shown in the page only: names never leave the browser. */
  name: string;
}

export interface CaseloadOptions {
  /** A caseload token (`CaseloadToken` from `attune/server`: role caseload, the therapist alone). */
  token: string;
  api: string;
  clients: CaseloadClientRef[];
  target?: Element | string;
  nonce?: string;
  theme?: 'light' | 'dark';
  /** Overrides the token's locale. */
  locale?: string;
  on?: { error?: (e: WidgetError) => void; caseload?: (detail: { clients: number }) => void };
}

export interface CaseloadHandle {
  /** Show these clients instead (asks the API again). */
  setClients(clients: CaseloadClientRef[]): void;
  remove(): void;
}

/**
 * The therapist's caseload view (its own lazy chunk; not the call widget): who is not on track, and their own pacing
 * beside their clients' ratings. The refs go to the API in a POST body; the names stay in the page.
 *
 * @example
 * import { mountCaseload } from 'attune/widget';
 * const view = mountCaseload({ token, api: 'https://attune.example', target: '#caseload',
 *   clients: [{ ref: 'c_81', name: 'Ana Souza' }] });
 */
export function mountCaseload(options: CaseloadOptions): CaseloadHandle {
  const emit = (event: string, detail?: unknown) => {
    const cb = (options.on as Record<string, ((d: never) => void) | undefined> | undefined)?.[event];
    try {
      cb?.(detail as never);
    } catch (e) {
      console.error('[attune] listener failed', e);
    }
  };
  return mountCaseloadHost(
    import('./caseload/index.tsx').then((m) => m.mountCaseload),
    {
      target: options.target,
      theme: options.theme,
      token: options.token,
      api: options.api.replace(/\/+$/, ''),
      clients: options.clients,
      nonce: options.nonce,
      locale: options.locale,
    },
    emit,
  );
}
