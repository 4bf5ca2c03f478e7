// therapist.js: the therapist's chunk. After endSession() it shows the summary card and polls until the client
// has rated or declined. The pacing strip (during the call), connect/attachAudio and live push come in later
// issues: this chunk does not implement connect/attachAudio yet, so the loader keeps those calls queued.
import { DEFAULT_INSTRUMENT, type Instrument } from '../schemas/instrument.ts';
import type { SessionSummary } from '../schemas/summary.ts';
import { getJson } from './shared/api.ts';
import type { MountContext, RoleController } from './shared/contract.ts';
import { pickLocale } from './shared/i18n.ts';
import { mountView } from './shared/mount.ts';
import { THERAPIST_STRINGS } from './therapist/strings.ts';
import { SummaryCard } from './therapist/summary-card.tsx';
import { pollSummary, type SummarySource } from './therapist/summary-source.ts';
import { THERAPIST_CSS } from './therapist/therapist.css.ts';

export interface TherapistState {
  phase: 'call' | 'ended';
  instrument: Instrument;
  locale: string;
  summary: SessionSummary | null;
}

const LOCALES = Object.keys(THERAPIST_STRINGS);

function TherapistView({ state: s }: { state: TherapistState }) {
  // During the call this is where the pacing strip goes (a later issue); nothing is drawn until then.
  if (s.phase === 'call') return null;
  const strings = THERAPIST_STRINGS[s.locale] ?? THERAPIST_STRINGS.en!;
  // Later sections (this session's pacing, the trend sparkline) are children of the card.
  return <SummaryCard summary={s.summary} instrument={s.instrument} locale={s.locale} strings={strings} />;
}

export interface TherapistOptions {
  /** Where summaries come from; polling by default (a later issue swaps in the live push). */
  source?: SummarySource;
}

export function mount(ctx: MountContext, opts: TherapistOptions = {}): RoleController {
  let state: TherapistState = {
    phase: 'call',
    instrument: DEFAULT_INSTRUMENT,
    locale: pickLocale(LOCALES, ctx.locale, navigator.language),
    summary: null,
  };
  const view = mountView(ctx, THERAPIST_CSS);
  const set = (patch: Partial<TherapistState>) => {
    state = { ...state, ...patch };
    view.show(<TherapistView state={state} />);
  };
  set({});
  const source = opts.source ?? pollSummary(ctx);
  const abort = new AbortController();
  getJson<{ instrument?: Instrument; locale?: string }>(ctx, '/v1/context', abort.signal).then(
    (c) => set({ instrument: c.instrument ?? state.instrument, locale: pickLocale(LOCALES, c.locale, ctx.locale, navigator.language) }),
    () => {}, // keep the default instrument's labels
  );
  let stopSource: (() => void) | null = null;

  return {
    endSession() {
      if (state.phase === 'ended') return;
      set({ phase: 'ended' });
      stopSource = source((summary) => {
        set({ summary });
        ctx.emit('summary', summary);
      }, ctx.error);
    },
    teardown() {
      abort.abort();
      stopSource?.();
      view.teardown();
    },
  };
}
