import { useRef } from 'preact/hooks';
import type { Cue, PacingSnapshot } from '../pacing/index.ts';
import { clock, cueText, fill, sharePercents } from './cue-text.ts';
import type { PacingStrings } from './strings.ts';

export interface PacingStripProps {
  snapshot: PacingSnapshot;
  /** The cue on screen, or null. */
  cue: Cue | null;
  strings: PacingStrings;
  onDismiss: () => void;
}

/** "12 min left", "3 min over", or the elapsed clock when the session has no schedule. */
export function timeText(s: PacingSnapshot, strings: PacingStrings): string {
  const r = s.remainingMs;
  if (r === null) return fill(strings.elapsed, { time: clock(s.elapsedMs) });
  return r >= 0 ? fill(strings.minutesLeft, { n: Math.max(1, Math.ceil(r / 60_000)) }) : fill(strings.minutesOver, { n: Math.max(1, Math.floor(-r / 60_000)) });
}

/**
 * The therapist's compact strip during the call: time, talk balance over the last 5 minutes (bar and text) and
 * the current cue. Only the cue's text is a live region (polite), so the ticking clock is never announced. The
 * cue never takes focus; Escape (focus in the strip) or the button dismisses it.
 */
export function PacingStrip({ snapshot: s, cue, strings, onDismiss }: PacingStripProps) {
  const strip = useRef<HTMLElement>(null);
  const dismiss = () => {
    const el = strip.current;
    const hadFocus = !!el && el.contains((el.getRootNode() as Document | ShadowRoot).activeElement);
    onDismiss();
    // The button disappears with the cue: keep keyboard focus in the strip rather than dropping it to <body>.
    if (hadFocus) strip.current?.focus({ preventScroll: true });
  };
  const share = s.rollingTherapistShare;
  const p = share === null ? null : sharePercents(share);
  return (
    <section
      ref={strip}
      class="card strip"
      aria-label={strings.stripLabel}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && cue) {
          e.stopPropagation();
          dismiss();
        }
      }}
    >
      <div class="strip-row">
        <span class="time">{timeText(s, strings)}</span>
        <span class="balance">
          <span class="bar" aria-hidden="true">
            <span style={{ width: `${p?.t ?? 0}%` }} />
          </span>
          <span class="balance-text">{p ? fill(strings.balance, p) : strings.balanceNone}</span>
        </span>
      </div>
      <div class={cue ? 'cue' : 'cue empty'}>
        <p role="status" aria-live="polite" aria-label={strings.cueLabel}>
          {cue ? cueText(cue, strings) : ''}
        </p>
        {cue && (
          <button type="button" class="dismiss" aria-label={strings.dismiss} onClick={dismiss}>
            <span aria-hidden="true">×</span>
          </button>
        )}
      </div>
    </section>
  );
}
