import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/instrument.ts';
import type { SessionSummary, Trend } from '../../../schemas/summary.ts';
import { SummaryCard } from '../../../widget/therapist/summary-card.tsx';
import { currentIndex, previousPoint, trendName, trendStrings } from '../../../widget/therapist/trend-section.tsx';
import { sparkGeometry } from '../../../widget/therapist/trend-sparkline.tsx';
import { loadLocale } from '../../../widget/therapist/strings/index.ts';
import { ALL_THERAPIST_LOCALES } from './therapist-locale-table.ts';

const THERAPIST_STRINGS = Object.fromEntries(Object.entries(ALL_THERAPIST_LOCALES).map(([l, w]) => [l, w.summary]));

const DAY = 86_400;
const t0 = Date.UTC(2026, 9, 5, 15) / 1000; // 5 Oct 2026, 15:00 UTC
const totals = [31, 33.5, null, 35, 38, 36];
const trend: Trend = {
  client: totals.map((total, i) => ({
    at: t0 + i * 7 * DAY,
    total,
    items: [],
    therapistShare: i === 2 ? null : 0.4 + i * 0.02,
  })),
  therapist: { days: 30, sessions: 24, meanTotal: 35.25, meanTherapistShare: 0.46 },
};
const rated: SessionSummary = {
  status: 'rated',
  instrument: { id: 'attune-session-4', version: 1 },
  items: [
    { id: 'bond', value: 9.5 },
    { id: 'goals', value: 9 },
    { id: 'approach', value: 9 },
    { id: 'overall', value: 8.5 },
  ],
  total: 36,
  maxTotal: 40,
  flags: [{ rule: 'drop_from_previous', threshold: 1, previous: 38, total: 36 }],
  ratedAt: t0 + 5 * 7 * DAY,
  pacing: null,
  trend,
};

let el: HTMLElement;
function show(summary: SessionSummary, locale = 'en') {
  act(() =>
    render(
      <SummaryCard
        summary={summary}
        instrument={DEFAULT_INSTRUMENT}
        locale={locale}
        strings={THERAPIST_STRINGS[locale]!}
      />,
      el,
    ),
  );
}
// The widget loads a locale's chunk before it draws in it (therapist.tsx); these tests draw the card directly.
beforeAll(() => Promise.all(['es', 'de', 'fr', 'pt', 'ar'].map(loadLocale)));

beforeEach(() => {
  el = document.createElement('div');
  document.body.replaceChildren(el);
});
afterEach(() => render(null, el));

describe('trend in the summary card', () => {
  it('draws a sparkline named in one sentence, this session highlighted, a gap for the unrated session', () => {
    show(rated);
    const svg = el.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('Totals over 5 sessions, from 31.0 to 36.0; 1 not rated');
    const dots = [...svg.querySelectorAll('circle')];
    expect(dots).toHaveLength(5);
    expect(dots.map((d) => d.getAttribute('class'))).toEqual(['dot', 'dot', 'dot', 'dot', 'dot now']);
    expect(dots.at(-1)!.getAttribute('r')).toBe('5');
    // Two runs: 31 -> 33.5, then 35 -> 38 -> 36 (the unrated session breaks the line).
    const paths = [...svg.querySelectorAll('path')].map((p) => p.getAttribute('d')!);
    expect(paths).toHaveLength(2);
    expect(paths.map((d) => d.split('L').length)).toEqual([2, 3]);
    // On the whole scale (0 to 40, written on the axis): higher totals sit higher (smaller y), in proportion.
    expect([...svg.querySelectorAll('.scale text')].map((t) => t.textContent)).toEqual(['40', '0']);
    const ys = dots.map((d) => Number(d.getAttribute('cy')));
    expect(ys[3]).toBe(8 + (2 / 40) * 72); // 38
    expect(ys[0]).toBe(8 + (9 / 40) * 72); // 31
    expect(ys[2]! > ys[4]!).toBe(true); // 35 below 36
    // The instrument's flag line for the total (the default floor, 20) is drawn and named in the legend.
    expect(Number(svg.querySelector('line.floor')?.getAttribute('y1'))).toBe(8 + (20 / 40) * 72);
    expect(el.querySelector('.legend')?.textContent).toContain('Flagged under 20');
    // The therapist's mean as a dashed reference line.
    expect(svg.querySelector('line.mean')).not.toBeNull();
    expect(el.querySelector('.trend h3')?.textContent).toBe('Across sessions');
    // Whose mean it is: every client of this therapist (not the therapist's own rating, not this client's).
    expect(el.querySelector('.legend')?.textContent).toContain('All your clients, last 30 days');
    expect(el.textContent).toContain(
      'All your clients over the last 30 days: a mean total of 35.3 across 24 sessions. Your mean talk share: 46%.',
    );
  });

  it('offers the same data as a table behind a real disclosure button', () => {
    show(rated);
    const button = [...el.querySelectorAll('button')].find((b) => b.textContent === 'Show sessions as a table')!;
    const box = el.querySelector<HTMLElement>('#' + button.getAttribute('aria-controls'))!;
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(box.hidden).toBe(true);
    act(() => button.click());
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.textContent).toBe('Hide the table');
    expect(box.hidden).toBe(false);
    expect(box.querySelector('caption')?.textContent).toBe("This client's sessions, oldest first");
    expect([...box.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
      'Date',
      'Total',
      'Your talk share',
    ]);
    const rows = [...box.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['Oct 5, 2026', '31.0', '40%'],
      ['Oct 12, 2026', '33.5', '42%'],
      ['Oct 19, 2026', 'Not rated', 'Not recorded'],
      ['Oct 26, 2026', '35.0', '46%'],
      ['Nov 2, 2026', '38.0', '48%'],
      ['Nov 9, 2026 (this session)', '36.0', '50%'],
    ]);
    expect(box.querySelector('tbody tr:last-child')?.getAttribute('aria-current')).toBe('true');
    act(() => button.click());
    expect(box.hidden).toBe(true);
  });

  it('leads with what changed since the previous rated session, for the total and each item', () => {
    const withItems: Trend = {
      ...trend,
      client: trend.client.map((p, i) =>
        i === 4
          ? { ...p, items: rated.items.map((it) => ({ ...it, value: it.value + (it.id === 'goals' ? 1.5 : 0.5) })) }
          : p,
      ),
    };
    show({ ...rated, trend: withItems });
    expect(el.querySelector('[role=status]')?.textContent).toBe('Total: 36.0 / 402.0 lower than last session (38.0).');
    expect(el.querySelector('.change')?.textContent).toBe('2.0 lower than last session (38.0).');
    const rows = [...el.querySelectorAll('table.items tbody tr')].map((tr) =>
      [...tr.children].map((c) => c.textContent),
    );
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['9.5', '-0.5'],
      ['9.0', '-1.5'],
      ['9.0', '-0.5'],
      ['8.5', '-0.5'],
    ]);
    expect(el.querySelector('table.items thead')?.textContent).toContain('Since last');
    show({ ...rated, trend: { ...trend, client: [trend.client[5]!] } });
    expect(el.querySelector('.change')?.textContent).toBe('The first rated session with this client.');
    expect(el.querySelector('table.items thead')?.textContent).not.toContain('Since last');
  });

  it('tells same-day sessions apart in the table by their time', () => {
    const sameDay: Trend = {
      ...trend,
      client: [{ ...trend.client[4]!, at: rated.ratedAt! - 3 * 3600 }, trend.client[5]!],
    };
    show({ ...rated, trend: sameDay });
    const dates = [...el.querySelectorAll('#attune-trend-table tbody th')].map((th) => th.textContent);
    expect(dates[0]).not.toBe(dates[1]!.replace(' (this session)', ''));
    expect(dates[0]).toMatch(/Nov 9, 2026, \d{1,2}:00/);
  });

  it('shows no trend section without a trend, or without any rated session in it', () => {
    const { trend: _, ...plain } = rated;
    show(plain);
    expect(el.querySelector('.trend')).toBeNull();
    expect(el.querySelector('svg')).toBeNull();
    expect(el.querySelector('.change')).toBeNull();
    expect([...el.querySelectorAll('.flags li')].map((li) => li.textContent)).toEqual([
      'A drop of 2.0 since last session. Rule: a drop of 1.0 or more from the previous session',
    ]);
    show({ ...rated, trend: { ...trend, client: [{ at: t0, total: null, items: [], therapistShare: null }] } });
    expect(el.querySelector('.trend')).toBeNull();
  });

  it('while the rating is pending, shows the earlier sessions and no highlighted point', () => {
    const earlier = {
      ...trend,
      client: [...trend.client.slice(0, 5), { at: t0 + 35 * DAY, total: null, items: [], therapistShare: null }],
    };
    show({ ...rated, status: 'pending', total: null, ratedAt: null, items: [], flags: [], trend: earlier });
    expect(el.querySelectorAll('circle')).toHaveLength(4);
    expect(el.querySelector('circle.now')).toBeNull();
    // The session whose rating is awaited is not counted as "not rated": only the earlier one that was never rated.
    expect(el.querySelector('svg')?.getAttribute('aria-label')).toBe(
      'Totals over 4 sessions, from 31.0 to 38.0; 1 not rated',
    );
    // Declined, or not asked this time (feedback fatigue), it is not rated.
    show({
      ...rated,
      status: 'pending',
      skipped: true,
      total: null,
      ratedAt: null,
      items: [],
      flags: [],
      trend: earlier,
    });
    expect(el.querySelector('svg')?.getAttribute('aria-label')).toBe(
      'Totals over 4 sessions, from 31.0 to 38.0; 2 not rated',
    );
    show({ ...rated, status: 'declined', total: null, ratedAt: null, items: [], flags: [], trend: earlier });
    expect(el.querySelector('svg')?.getAttribute('aria-label')).toBe(
      'Totals over 4 sessions, from 31.0 to 38.0; 2 not rated',
    );
  });

  it('while pending (no total, so no maxTotal yet), still draws the whole scale of the instrument, not a zoom', () => {
    // The server's pending summary has maxTotal null: zoomed on the values, a 2-point dip would fill the chart.
    show({ ...rated, status: 'pending', total: null, maxTotal: null, ratedAt: null, items: [], flags: [] });
    const svg = el.querySelector('svg.spark')!;
    expect([...svg.querySelectorAll('.scale text')].map((t) => t.textContent)).toEqual(['40', '0']);
    expect(svg.querySelector('line.floor')).not.toBeNull();
    expect(el.querySelector('.legend')?.textContent).toContain('Flagged under 20');
  });

  it('tells "not asked this time" (feedback fatigue) from waiting, whether or not the client\'s page has asked yet', () => {
    const pending = { ...rated, status: 'pending' as const, total: null, ratedAt: null, items: [], flags: [] };
    show({ ...pending, asked: false, skipped: true });
    expect(el.querySelector('[role=status]')?.textContent).toBe(
      'Not asked this time: to avoid feedback fatigue, this platform does not ask the client after every session.',
    );
    show({ ...pending, asked: false, skipped: false });
    expect(el.querySelector('[role=status]')?.textContent).toBe("Waiting for the client's rating…");
    show({ ...pending, asked: true, skipped: false });
    expect(el.querySelector('[role=status]')?.textContent).toBe("Waiting for the client's rating…");
  });

  it('speaks Spanish', () => {
    show(rated, 'es');
    expect(el.querySelector('svg')?.getAttribute('aria-label')).toBe(
      'Totales de 5 sesiones, de 31,0 a 36,0; 1 sin valorar',
    );
    expect(el.querySelector('.trend-more button')?.textContent).toBe('Ver las sesiones en una tabla');
    expect(el.textContent).toContain('Todos sus clientes en los últimos 30 días');
    expect(trendStrings('es-MX')).toBe(trendStrings('es'));
    expect(trendStrings('fr')).not.toBe(trendStrings('en'));
    expect(trendStrings('sv')).toBe(trendStrings('en'));
  });
});

describe('trend helpers', () => {
  it('says "one session" for a mean over one session', () => {
    show({
      ...rated,
      trend: { ...trend, therapist: { days: 90, sessions: 1, meanTotal: 36, meanTherapistShare: null } },
    });
    expect(el.textContent).toContain('All your clients over the last 90 days: a total of 36.0 from one session.');
    expect(el.textContent).not.toContain('talk share:');
  });

  it('names a single rated session', () => {
    expect(trendName([{ at: 1, total: 37.5, items: [], therapistShare: null }], 'en', trendStrings('en'))).toBe(
      'Total 37.5, the only rated session so far',
    );
  });

  it('finds this session by its rating time, else only if the last point agrees with the summary', () => {
    const pts = trend.client;
    expect(currentIndex(pts, { status: 'rated', total: 33.5, ratedAt: pts[1]!.at })).toBe(1);
    expect(currentIndex(pts, { status: 'rated', total: 36, ratedAt: 1 })).toBe(5);
    expect(currentIndex(pts, { status: 'rated', total: 20, ratedAt: 1 })).toBe(-1);
    expect(currentIndex(pts, { status: 'pending', total: null, ratedAt: null })).toBe(-1);
    expect(currentIndex([], { status: 'pending', total: null, ratedAt: null })).toBe(-1);
    expect(previousPoint(trend, 5)?.total).toBe(38);
    expect(previousPoint(trend, 3)?.total).toBe(33.5); // skips the unrated one
    expect(previousPoint(trend, 0)).toBeNull();
  });

  it('keeps a minimum vertical span inside the scale, and centres a single point', () => {
    const box = { width: 100, height: 50, pad: 5, minSpan: 4, maxTotal: 40 };
    const flat = sparkGeometry([39.5, 40, 40], null, box);
    // Domain 36..40: 40 is at the top, 39.5 an eighth of the way down.
    expect(flat.dots.map((d) => d.y)).toEqual([10, 5, 5]);
    const one = sparkGeometry([20], 22, box);
    // Domain 19..23 (the minimum span around 20 and 22).
    expect(one.dots).toEqual([{ x: 50, y: 35, index: 0 }]);
    expect(one.paths).toEqual([]);
    expect(one.refY).toBe(15);
    expect(sparkGeometry([null, null], 30, box)).toEqual({ paths: [], dots: [], refY: null });
  });
});
