import { useRef } from 'preact/hooks';
import type { Cue, PacingSnapshot } from '../../pacing/index.ts';
import { fill } from '../shared/i18n.ts';
import { clock, cueText, sharePercents, sharePercentText } from './cue-text.ts';
import type { PacingStrings } from './strings/index.ts';

/** Talk (both sides, whole session) before the strip shows any balance figure: fewer seconds mean nothing. */
const MIN_TALK_FOR_BALANCE_MS = 30_000;

export interface PacingStripProps {
  snapshot: PacingSnapshot;
  /** The cue on screen, or null. */
  cue: Cue | null;
  strings: PacingStrings;
  onDismiss: () => void;
  locale?: string;
  /** The balance window configured for the platform (seconds; 300 by default). */
  windowSeconds?: number;
}

/** "12 min left", "3 min over", or the elapsed clock when the session has no schedule. */
export function timeText(s: PacingSnapshot, strings: PacingStrings, locale = 'en'): string {
  const r = s.remainingMs;
  const n = (x: number) => x.toLocaleString(locale);
  if (r === null) return fill(strings.elapsed, { time: clock(s.elapsedMs) });
  return r >= 0
    ? fill(strings.minutesLeft, { n: n(Math.max(1, Math.ceil(r / 60_000))) })
    : fill(strings.minutesOver, { n: n(Math.max(1, Math.floor(-r / 60_000))) });
}

/**
 * The balance line, honest about what it rests on: nothing until there has been enough talk, and the window it
 * covers is the whole minutes actually elapsed ("Last 2 min" from 2:00) until the configured window is full.
 */
export function balanceText(
  s: PacingSnapshot,
  strings: PacingStrings,
  locale = 'en',
  windowSeconds = 300,
): { text: string; share: number | null } {
  const share = s.rollingTherapistShare;
  // Whole minutes actually covered, rounded down: "Last 2 min" from 2:00, never at 1:50. Talk on both sides at once
  // counts twice, so 30 s of talk can come before a whole minute has passed: the figures wait for it too.
  const minutes = Math.floor(Math.min(windowSeconds, s.elapsedMs / 1000) / 60);
  if (share === null || minutes < 1 || s.therapistTalkMs + s.clientTalkMs < MIN_TALK_FOR_BALANCE_MS)
    return { text: strings.balanceWaiting, share: null };
  const window = fill(strings.window, { n: minutes.toLocaleString(locale) });
  return { text: fill(strings.balance, { window, ...sharePercentText(share, locale) }), share };
}

/**
 * The therapist's compact strip during the call: a visible "only you see this", time, talk balance (bar and text)
 * and a slot for the cue. The slot is always as tall as the longest cue needs at the strip's width (every cue's text
 * sits unseen in the same grid cell), so no cue, in any language, moves what is below or is cut off. Only the cue's
 * text is a live region (polite), so the ticking clock is never announced. While a "minutes left" cue is up, the
 * strip's own time is not shown beside it (the cue says it). The cue never takes focus; Escape (focus in the strip)
 * or the button dismisses it.
 */
export function PacingStrip({
  snapshot: s,
  cue,
  strings,
  onDismiss,
  locale = 'en',
  windowSeconds = 300,
}: PacingStripProps) {
  const strip = useRef<HTMLElement>(null);
  const dismiss = () => {
    const el = strip.current;
    const hadFocus = !!el && el.contains((el.getRootNode() as Document | ShadowRoot).activeElement);
    onDismiss();
    // The button disappears with the cue: keep keyboard focus in the strip rather than dropping it to <body>.
    if (hadFocus) strip.current?.focus({ preventScroll: true });
  };
  const balance = balanceText(s, strings, locale, windowSeconds);
  const p = balance.share === null ? null : sharePercents(balance.share);
  const timeInCue = cue?.key === 'time.minutesLeft';
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
        <span class={timeInCue ? 'time said' : 'time'} aria-hidden={timeInCue ? 'true' : undefined}>
          {timeText(s, strings, locale)}
        </span>
        <span class="balance">
          <span class={p ? 'bar' : 'bar empty'} aria-hidden="true">
            <span style={{ width: `${p?.t ?? 0}%` }} />
          </span>
          <span class="balance-text">{balance.text}</span>
        </span>
        <span class="private">{strings.onlyYou}</span>
      </div>
      <div class={cue ? 'cue' : 'cue empty'}>
        <p role="status" aria-live="polite" aria-label={strings.cueLabel}>
          {cue ? cueText(cue, strings, locale) : ''}
        </p>
        {/* Every cue's words, unseen, in the same cell: the slot is always as tall as the longest cue at this width. */}
        {Object.values(strings.cues).map((t) => (
          <p key={t} class="room" aria-hidden="true">
            {fill(t, { minutes: (10).toLocaleString(locale) })}
          </p>
        ))}
        {cue && (
          <button type="button" class="dismiss" aria-label={strings.dismiss} onClick={dismiss}>
            <span aria-hidden="true">×</span>
          </button>
        )}
      </div>
    </section>
  );
}
