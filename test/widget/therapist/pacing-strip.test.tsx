import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Cue, PacingSnapshot } from '../../../pacing/index.ts';
import { PacingSection } from '../../../widget/therapist/pacing-section.tsx';
import { balanceText, PacingStrip, timeText } from '../../../widget/therapist/pacing-strip.tsx';
import { key } from '../helpers.ts';
import { ALL_THERAPIST_LOCALES } from './therapist-locale-table.ts';

const PACING_STRINGS = Object.fromEntries(Object.entries(ALL_THERAPIST_LOCALES).map(([l, w]) => [l, w.pacing]));

const en = PACING_STRINGS.en!;
const es = PACING_STRINGS.es!;

// A cast, not an annotation: the engine may add fields the strip does not read.
const snap = (over: Partial<PacingSnapshot> = {}) =>
  ({
    elapsedMs: 754_000,
    remainingMs: null,
    therapistTalkMs: 300_000,
    clientTalkMs: 200_000,
    therapistShare: null,
    rollingTherapistShare: 0.634,
    currentTherapistTurnMs: 0,
    longestTherapistTurnMs: 0,
    therapistTurns: 0,
    clientTurns: 0,
    overlapCount: 0,
    overlapMs: 0,
    silenceCount: 0,
    silenceMs: 0,
    longestSilenceMs: 0,
    therapistSpeaking: false,
    clientSpeaking: false,
    cue: null,
    cuesShown: 0,
    lagMs: 500,
    ...over,
  }) as PacingSnapshot;
const cue = (over: Partial<Cue> = {}): Cue => ({
  kind: 'balance',
  key: 'balance.leaveRoom',
  atMs: 0,
  hideAtMs: 12_000,
  minutesLeft: null,
  ...over,
});

function draw(el: preact.ComponentChild) {
  const host = document.createElement('div');
  document.body.appendChild(host);
  render(el, host);
  return host;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('pacing strip', () => {
  it('shows elapsed time without a schedule, minutes left with one, and minutes over after the end', () => {
    expect(timeText(snap(), en)).toBe('12:34 elapsed');
    expect(timeText(snap({ elapsedMs: 3_725_000 }), en)).toBe('1:02:05 elapsed');
    expect(timeText(snap({ remainingMs: 17 * 60_000 + 10_000 }), en)).toBe('18 min left');
    expect(timeText(snap({ remainingMs: 20_000 }), en)).toBe('1 min left');
    expect(timeText(snap({ remainingMs: -125_000 }), en)).toBe('2 min over');
    expect(timeText(snap({ remainingMs: 5 * 60_000 }), es)).toBe('quedan 5 min');
  });

  it('draws the talk balance as a bar and as text; the bar is hidden from screen readers; it says only you see it', () => {
    const host = draw(<PacingStrip snapshot={snap()} cue={null} strings={en} onDismiss={() => {}} />);
    expect(host.querySelector('.balance-text')?.textContent).toBe('Last 5 min: you 63%, client 37%');
    const bar = host.querySelector<HTMLElement>('.bar')!;
    expect(bar.getAttribute('aria-hidden')).toBe('true');
    expect(bar.querySelector<HTMLElement>('span')!.style.width).toBe('63%');
    render(
      <PacingStrip snapshot={snap({ rollingTherapistShare: null })} cue={null} strings={en} onDismiss={() => {}} />,
      host,
    );
    expect(host.querySelector('.balance-text')?.textContent).toBe('Talk balance: after a little more talk');
    expect(host.querySelector('section')?.getAttribute('aria-label')).toBe('Session pacing');
    expect(host.querySelector('.private')?.textContent).toBe('Only you see this');
  });

  it('shows no balance figure before 30 s of talk, then names the window it actually covers', () => {
    const early = snap({
      elapsedMs: 20_000,
      therapistTalkMs: 1_200,
      clientTalkMs: 17_800,
      rollingTherapistShare: 0.06,
    });
    expect(balanceText(early, en)).toEqual({ text: 'Talk balance: after a little more talk', share: null });
    const host = draw(<PacingStrip snapshot={early} cue={null} strings={en} onDismiss={() => {}} />);
    expect(host.textContent).not.toMatch(/%/);
    expect(host.querySelector<HTMLElement>('.bar > span')!.style.width).toBe('0%');
    // 2 min 10 s in, with 60 s of talk: the window covered is two minutes, not five.
    const two = snap({
      elapsedMs: 130_000,
      therapistTalkMs: 40_000,
      clientTalkMs: 20_000,
      rollingTherapistShare: 2 / 3,
    });
    expect(balanceText(two, en).text).toBe('Last 2 min: you 67%, client 33%');
    expect(balanceText({ ...two, elapsedMs: 299_000 }, en).text).toBe('Last 4 min: you 67%, client 33%');
    expect(balanceText({ ...two, elapsedMs: 300_000 }, en).text).toBe('Last 5 min: you 67%, client 33%');
    expect(balanceText({ ...two, elapsedMs: 3_600_000 }, en).text).toBe('Last 5 min: you 67%, client 33%');
    // A platform's own window (10 minutes) is named once it is full.
    expect(balanceText({ ...two, elapsedMs: 3_600_000 }, en, 'en', 600).text).toBe('Last 10 min: you 67%, client 33%');
    expect(balanceText(two, es, 'es').text).toBe('Últimos 2 min: usted 67\u00a0%, cliente 33\u00a0%');
  });

  it('never names more time than has passed: whole minutes rounded down, no figures before the first minute', () => {
    const talk = { therapistTalkMs: 25_000, clientTalkMs: 25_000, rollingTherapistShare: 0.5 };
    const label = (elapsedMs: number) => balanceText(snap({ ...talk, elapsedMs }), en).text;
    // 1:50 in: one whole minute covered, not "Last 2 min".
    expect(label(110_000)).toBe('Last 1 min: you 50%, client 50%');
    expect(label(119_999)).toMatch(/^Last 1 min:/);
    expect(label(120_000)).toMatch(/^Last 2 min:/);
    expect(label(239_000)).toMatch(/^Last 3 min:/);
    // 50 s in, with 50 s of talk (overlap counts on both sides): not a whole minute yet, so no figures.
    expect(balanceText(snap({ ...talk, elapsedMs: 50_000 }), en)).toEqual({
      text: 'Talk balance: after a little more talk',
      share: null,
    });
    expect(label(60_000)).toMatch(/^Last 1 min:/);
    // For every second of the first ten minutes, the minutes named are never more than have passed.
    for (let ms = 60_000; ms <= 600_000; ms += 1000) {
      const n = Number(/^Last (\d+) min:/.exec(label(ms))![1]);
      expect(n * 60_000, `${ms} ms`).toBeLessThanOrEqual(ms);
      expect(n).toBe(Math.min(5, Math.floor(ms / 60_000)));
    }
  });

  it('does not repeat the minutes left in the strip while a "minutes left" cue says them', () => {
    const s = snap({ remainingMs: 7 * 60_000 });
    const host = draw(<PacingStrip snapshot={s} cue={null} strings={en} onDismiss={() => {}} />);
    expect(host.querySelector('.time')?.className).toBe('time');
    render(
      <PacingStrip
        snapshot={s}
        cue={cue({ kind: 'time', key: 'time.minutesLeft', minutesLeft: 7 })}
        strings={en}
        onDismiss={() => {}}
      />,
      host,
    );
    // Hidden, not removed: its width stays, so nothing moves.
    expect(host.querySelector('.time')?.className).toBe('time said');
    expect(host.querySelector('.time')?.getAttribute('aria-hidden')).toBe('true');
    expect(host.querySelector('[role=status]')?.textContent).toBe('7 minutes left.');
    render(<PacingStrip snapshot={s} cue={cue()} strings={en} onDismiss={() => {}} />, host);
    expect(host.querySelector('.time')?.className).toBe('time');
  });

  it("keeps every cue's words unseen in the slot, hidden from assistive technology, in the strip's language", () => {
    for (const [locale, strings] of Object.entries(PACING_STRINGS)) {
      const host = draw(
        <PacingStrip snapshot={snap()} cue={null} strings={strings} onDismiss={() => {}} locale={locale} />,
      );
      const room = [...host.querySelectorAll('.cue > .room')];
      const ten = (10).toLocaleString(locale);
      expect(
        room.map((p) => p.textContent),
        locale,
      ).toEqual(Object.values(strings.cues).map((t) => t.replace('{minutes}', ten)));
      expect(room.every((p) => p.getAttribute('aria-hidden') === 'true' && !p.hasAttribute('role'))).toBe(true);
      host.remove();
    }
  });

  it('keeps one polite live region for the cue only (the clock is not announced), with no button when there is no cue', () => {
    const host = draw(<PacingStrip snapshot={snap()} cue={null} strings={en} onDismiss={() => {}} />);
    const live = host.querySelectorAll('[aria-live]');
    expect(live).toHaveLength(1);
    expect(live[0]!.getAttribute('aria-live')).toBe('polite');
    expect(live[0]!.getAttribute('role')).toBe('status');
    expect(live[0]!.textContent).toBe('');
    expect(host.querySelector('button')).toBeNull();
    expect(host.querySelector('.time')?.closest('[aria-live]')).toBeNull();

    render(<PacingStrip snapshot={snap()} cue={cue()} strings={en} onDismiss={() => {}} />, host);
    // Same element (a live region must exist before its text changes to be announced).
    expect(host.querySelector('[aria-live]')).toBe(live[0]);
    expect(live[0]!.textContent).toBe(
      'You have been doing most of the talking lately. There may be room for your client.',
    );
  });

  it('fills the minutes of a time cue, in Spanish too', () => {
    const c = cue({ kind: 'time', key: 'time.minutesLeft', minutesLeft: 5 });
    const host = draw(<PacingStrip snapshot={snap()} cue={c} strings={es} onDismiss={() => {}} />);
    expect(host.querySelector('[role=status]')?.textContent).toBe('Quedan 5 minutos.');
    expect(host.querySelector('button')?.getAttribute('aria-label')).toBe('Cerrar sugerencia');
  });

  it('is dismissed by its button (with an accessible name) or by Escape within the strip', () => {
    const onDismiss = vi.fn();
    const host = draw(<PacingStrip snapshot={snap()} cue={cue()} strings={en} onDismiss={onDismiss} />);
    const button = host.querySelector('button')!;
    expect(button.getAttribute('aria-label')).toBe('Dismiss cue');
    expect(button.getAttribute('type')).toBe('button');
    button.click();
    expect(onDismiss).toHaveBeenCalledTimes(1);
    const e = key(button, 'Escape');
    expect(onDismiss).toHaveBeenCalledTimes(2);
    expect(e.defaultPrevented).toBe(false);
    // Escape with no cue on screen is left to the host page.
    render(<PacingStrip snapshot={snap()} cue={null} strings={en} onDismiss={onDismiss} />, host);
    key(host.querySelector('section')!, 'Escape');
    expect(onDismiss).toHaveBeenCalledTimes(2);
  });
});

describe('pacing section of the summary', () => {
  const pacing = {
    durationSeconds: 3000,
    therapistTalkSeconds: 1200,
    clientTalkSeconds: 1300,
    overlapSeconds: 42.5,
    overlapCount: 7,
    silenceSeconds: 300,
    silenceCount: 40,
    longestSilenceSeconds: 14,
    longestTherapistTurnSeconds: 95,
    therapistTurns: 80,
    clientTurns: 78,
    cuesShown: 2,
  };
  const rows = (host: Element) =>
    [...host.querySelectorAll('dl > div')].map((d) => [
      d.querySelector('dt')?.textContent,
      d.querySelector('dd')?.textContent,
    ]);

  it('lists talk balance, longest turn, overlaps, silences, duration and cues', () => {
    const host = draw(<PacingSection pacing={pacing} confirmed locale="en" strings={en} />);
    expect(host.querySelector('h3')?.textContent).toBe('Pacing this session');
    expect(rows(host)).toEqual([
      ['Talk balance', 'you 48%, client 52%'],
      ['Your longest turn', '1 min 35 sec'],
      ['Talking over each other', '7 times, 43 sec'],
      ['Silences', '40, longest 14 sec'],
      ['Duration', '50 min'],
      ['Cues shown', '2'],
    ]);
    expect(host.textContent).not.toContain('not yet confirmed');
  });

  it('writes numbers and units as each locale does', () => {
    const de = draw(<PacingSection pacing={pacing} confirmed locale="de" strings={PACING_STRINGS.de!} />);
    expect(rows(de)[0]).toEqual(['Redeanteile', 'Sie 48\u00a0%, Klient*in 52\u00a0%']);
    expect(rows(de)[2]![1]).toBe('7-mal, 43 Sek.');
    const ar = draw(<PacingSection pacing={pacing} confirmed locale="ar" strings={PACING_STRINGS.ar!} />);
    expect(rows(ar)[4]).toEqual([
      'المدة',
      new Intl.NumberFormat('ar', { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(50),
    ]);
  });

  it('says when the numbers are only local, and copes with a silent session', () => {
    const host = draw(
      <PacingSection
        pacing={{ ...pacing, therapistTalkSeconds: 0, clientTalkSeconds: 0 }}
        confirmed={false}
        locale="en"
        strings={en}
      />,
    );
    expect(rows(host)[0]).toEqual(['Talk balance', '–']);
    expect(host.textContent).toContain('Measured in this browser; not yet confirmed by the server.');
  });
});
