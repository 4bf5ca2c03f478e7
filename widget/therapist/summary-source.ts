import * as v from 'valibot';
import { SessionSummary } from '../../schemas/summary.ts';
import { getJson, sessionPath } from '../shared/api.ts';
import { backoff } from '../shared/backoff.ts';
import type { MountContext, WidgetError } from '../shared/contract.ts';

/**
 * Where the therapist's summary comes from: the live push (liveSummary in live-summary.ts, a WebSocket), which falls
 * back to polling (pollSummary, below); tests pass their own. The card does not know which one it has.
 */
export type SummarySource = (onSummary: (s: SessionSummary) => void, onError: (e: WidgetError) => void) => () => void;

export interface PollOptions {
  intervalMs?: number;
  maxIntervalMs?: number;
  /** While true, polling goes on after the rating until the summary carries pacing (this widget's is on its way). */
  holdOpen?: () => boolean;
}

/**
 * Polls `GET /v1/session/summary` until the client rated or declined (and, while `holdOpen()`, until the
 * pacing is in); backs off on errors, and stops on a 401 or 403 (the token is refused for good).
 */
export function pollSummary(ctx: Pick<MountContext, 'api' | 'token' | 'sid'>, opts: PollOptions = {}): SummarySource {
  const interval = opts.intervalMs ?? 2000;
  const maxInterval = opts.maxIntervalMs ?? 30_000;
  return (onSummary, onError) => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const abort = new AbortController();
    const tick = async () => {
      let next = interval;
      try {
        const parsed = v.safeParse(SessionSummary, await getJson(ctx, sessionPath('summary'), abort.signal));
        if (stopped) return;
        if (!parsed.success) throw new Error('unexpected summary shape');
        failures = 0;
        onSummary(parsed.output);
        // Answered, or not asked this time (feedback fatigue): done once this widget's pacing is in too.
        const answered = parsed.output.status !== 'pending' || parsed.output.skipped === true;
        if (answered && (parsed.output.pacing || !opts.holdOpen?.())) return;
      } catch (e) {
        if (stopped) return;
        // 401 or 403: this token is refused for good. Asking again only adds failed credentials against the address
        // (past the Worker's limit, every request from it gets 429, other therapists' included).
        if (/: 40[13]$/.test(String(e))) {
          onError({ code: 'summary_unavailable', message: 'Attune: ' + String(e) + '; polling stopped' });
          return;
        }
        failures++;
        next = backoff(failures, interval, maxInterval);
        if (failures === 1 || failures % 5 === 0)
          onError({ code: 'summary_unavailable', message: 'Attune: ' + String(e) });
      }
      timer = setTimeout(() => void tick(), next);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      abort.abort();
    };
  };
}
