import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseloadResponse } from '../../../schemas/caseload.ts';
import { mountCaseload } from '../../../widget/caseload/index.tsx';
import { mountCaseload as publicMount } from '../../../widget/index.ts';

const RULES = { baselineDrop: 4, window: 10, minSessions: 3, fallsDrop: 4 };

const answer = (refs: string[]): CaseloadResponse => ({
  days: 365,
  instrument: { id: 'attune-session-4', version: 1, maxTotal: 40 },
  rules: RULES,
  clients: refs.map((ref, i) => ({
    ref,
    status: i === 0 ? 'not_on_track' : 'on_track',
    reasons: i === 0 ? [{ rule: 'two_falls', threshold: 4, totals: [36, 34, 32] }] : [],
    rated: 3,
    lastAt: 1_790_000_000,
    totals: i === 0 ? [36, 34, 32] : [30, 31, 30],
    instrument: { id: 'attune-session-4', version: 1, maxTotal: 40, rules: RULES },
  })),
  pacing: {
    instrument: { id: 'attune-session-4', version: 1, maxTotal: 40 },
    sessions: 0,
    meanTotal: null,
    meanShare: null,
    meanLongestTurnSeconds: null,
    meanOverlaps: null,
    weeks: [],
    comparison: {
      thresholdShare: 0.6,
      minSessions: 10,
      above: { sessions: 0, meanTotal: null },
      atOrBelow: { sessions: 0, meanTotal: null },
      difference: null,
      ci95: null,
    },
  },
});

// A token whose payload says loc: en (the widget reads it unverified, for the language only).
const TOKEN = `e30.${btoa(JSON.stringify({ role: 'caseload', tid: 't', loc: 'en' })).replace(/=+$/, '')}.sig`;

afterEach(() => vi.unstubAllGlobals());

async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

/** The view mounted for `clients`, its API answering `body` to every request; settled. */
async function mountAnswering(body: CaseloadResponse, clients: { ref: string; name: string }[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } })),
  );
  const root = document.createElement('div').attachShadow({ mode: 'open' });
  const c = mountCaseload({ root, token: TOKEN, api: 'https://api.example', clients, emit: () => {} });
  await settle();
  return { root, c };
}

describe('mountCaseload', () => {
  it('posts the refs only, shows the names beside the answer, asks again for new clients, and tears down', async () => {
    const bodies: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        expect(url).toBe('https://api.example/v1/caseload');
        expect(init.method).toBe('POST');
        expect(init.credentials).toBe('omit');
        bodies.push(String(init.body));
        const refs = (JSON.parse(String(init.body)) as { clients: string[] }).clients;
        return new Response(JSON.stringify(answer(refs)), { headers: { 'Content-Type': 'application/json' } });
      }),
    );
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = host.attachShadow({ mode: 'open' });
    const events: string[] = [];
    const c = mountCaseload({
      root,
      token: TOKEN,
      api: 'https://api.example',
      clients: [
        { ref: 'r-1', name: 'Ana Souza' },
        { ref: 'r-2', name: 'Ben Carter' },
      ],
      emit: (e) => events.push(e),
    });
    await settle();
    expect(bodies).toEqual(['{"clients":["r-1","r-2"]}']);
    const text = root.textContent ?? '';
    expect(text).toContain('Ana Souza');
    expect(text).toContain('Fell twice in a row: 36.0, 34.0, 32.0.');
    expect(root.querySelector('ul.off')!.textContent).toContain('Ana Souza');
    expect(events).toContain('caseload');

    c.setClients([{ ref: 'r-3', name: 'Chloé' }]);
    await settle();
    expect(bodies.at(-1)).toBe('{"clients":["r-3"]}');
    expect(root.textContent).toContain('Chloé');
    expect(root.textContent).not.toContain('Ana Souza');

    c.teardown();
    expect(root.querySelector('.root')).toBeNull();
    expect(root.querySelector('style')).toBeNull();
  });

  it('names the instrument the pacing comparison is on, and draws the chart on that instrument’s scale', async () => {
    const base = answer(['r-1']);
    const week = {
      start: 1_790_000_000,
      sessions: 24,
      meanTotal: 5.5,
      meanShare: 0.55,
      meanLongestTurnSeconds: 60,
      meanOverlaps: 2,
    };
    const withPacing: CaseloadResponse = {
      ...base,
      pacing: {
        ...base.pacing,
        // The token's instrument is attune-session-4 (0..40); the comparison is on a 1..7 three-item scale.
        instrument: { id: 'srs-3', version: 2, maxTotal: 21 },
        sessions: 24,
        meanTotal: 5.5,
        meanShare: 0.55,
        meanLongestTurnSeconds: 60,
        meanOverlaps: 2,
        weeks: [week],
        comparison: {
          ...base.pacing.comparison,
          above: { sessions: 12, meanTotal: 5 },
          atOrBelow: { sessions: 12, meanTotal: 6 },
          difference: -1,
          ci95: [-1.5, -0.5],
        },
      },
    };
    const { root, c } = await mountAnswering(withPacing, [{ ref: 'r-1', name: 'Ana' }]);
    const text = root.textContent ?? '';
    expect(text).toContain('Only ratings on the srs-3 scale; sessions rated on another scale are left out.');
    expect(text).toContain('1.0 points lower');
    // The pace chart (the svg with the talk-share panel) tops its rating panel at the comparison instrument's highest
    // total (21), not the token instrument's (40, which the clients' sparklines keep).
    const chart = [...root.querySelectorAll('svg')].find((g) => g.textContent?.includes('100%'))!;
    const labels = [...chart.querySelectorAll('text')].map((t) => t.textContent);
    expect(labels).toContain('21');
    expect(labels).not.toContain('40');
    // The mean rating says the scale it is on, as the session summary's total does ("/ 40").
    expect(root.querySelector('.facts dd')?.textContent).toBe('5.5 / 21');
    c.teardown();
  });

  it('names a client’s scale when it is another version than the caseload’s, and draws their sparkline on it', async () => {
    const base = answer(['r-1', 'r-2']);
    // Ana's newest rating is on scale-x version 2 (1..7 three items, totals 3..21), judged with its own rules (the
    // stand-in drop of 1.8 points); Bo's is on the caseload's instrument, with the caseload's rules.
    const v2 = { id: 'scale-x', version: 2, maxTotal: 21, rules: { ...RULES, baselineDrop: 1.8, fallsDrop: 1.8 } };
    const mixed: CaseloadResponse = {
      ...base,
      instrument: { id: 'scale-x', version: 1, maxTotal: 40 },
      clients: [
        {
          ...base.clients[0]!,
          totals: [15, 12, 9],
          reasons: [{ rule: 'two_falls', threshold: 1.8, totals: [15, 12, 9] }],
          instrument: v2,
        },
        { ...base.clients[1]!, instrument: { id: 'scale-x', version: 1, maxTotal: 40, rules: RULES } },
      ],
    };
    const { root, c } = await mountAnswering(mixed, [
      { ref: 'r-1', name: 'Ana' },
      { ref: 'r-2', name: 'Bo' },
    ]);
    const card = root.querySelector('ul.off li')!;
    expect(card.textContent).toContain('Totals on scale-x, version 2');
    // The heading's rule is the caseload's (4 points); the card says the rule Ana was judged by, on her scale.
    const rule = (drop: string) =>
      `A client is listed when their latest rating is ${drop} or more points below their own mean over up to 10 earlier sessions, or fell twice in a row by ${drop} or more in all.`;
    expect(root.querySelector('section.block > p.muted')!.textContent).toBe(rule('4'));
    expect(card.textContent).toContain(rule('1.8'));
    // The sparkline's axis ends at the client's instrument's highest total (21), not the caseload's (40).
    const axis = [...card.querySelectorAll('svg text')].map((t) => t.textContent);
    expect(axis).toContain('21');
    expect(axis).not.toContain('40');
    const cells = [...root.querySelectorAll('tbody tr')].map((tr) => tr.textContent ?? '');
    expect(cells.find((t) => t.includes('Ana'))).toContain('(Totals on scale-x, version 2)');
    expect(cells.find((t) => t.includes('Bo'))).not.toContain('Totals on');
    c.teardown();
  });

  it('a client with too few ratings on their newest scale says which scale, beside a higher “Rated sessions”', async () => {
    const base = answer(['r-1', 'r-2', 'r-3']);
    const ins = base.instrument;
    const few = (n: number, rated: number) => ({
      ...base.clients[0]!,
      status: 'too_few' as const,
      reasons: [],
      rated,
      totals: [15, 16].slice(0, n),
      instrument: { ...ins, rules: RULES },
    });
    const moved: CaseloadResponse = {
      ...base,
      clients: [
        { ...few(1, 4), ref: 'r-1' }, // three earlier ratings on the version before
        { ...few(2, 2), ref: 'r-2' }, // both ratings on this one: simply new
        { ...base.clients[1]!, ref: 'r-3', rated: 9 }, // on track: nothing to explain
      ],
    };
    const { root, c } = await mountAnswering(moved, [
      { ref: 'r-1', name: 'Ana' },
      { ref: 'r-2', name: 'Bo' },
      { ref: 'r-3', name: 'Cy' },
    ]);
    const row = (name: string) =>
      [...root.querySelectorAll('tbody tr')].map((tr) => tr.textContent ?? '').find((t) => t.startsWith(name))!;
    expect(row('Ana')).toContain('Too few ratings yet');
    expect(row('Ana')).toContain('(Totals on attune-session-4, version 1)');
    expect(row('Bo')).toContain('Too few ratings yet');
    expect(row('Bo')).not.toContain('Totals on');
    expect(row('Cy')).not.toContain('Totals on');
    c.teardown();
  });

  it('says when the caseload could not be loaded, reports it, and retries on request', async () => {
    let ok = false;
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        ok
          ? new Response(JSON.stringify(answer(['r-1'])), { headers: { 'Content-Type': 'application/json' } })
          : new Response('{"error":{"code":"invalid_token","message":"x"}}', { status: 401 }),
      ),
    );
    const root = document.createElement('div').attachShadow({ mode: 'open' });
    const errors: unknown[] = [];
    const c = mountCaseload({
      root,
      token: TOKEN,
      api: 'https://api.example',
      clients: [{ ref: 'r-1', name: 'Ana' }],
      emit: (e, d) => e === 'error' && errors.push(d),
    });
    await settle();
    expect(root.querySelector('[role=alert]')!.textContent).toContain('The caseload could not be loaded.');
    expect(errors).toEqual([expect.objectContaining({ code: 'caseload_failed' })]);
    ok = true;
    root.querySelector<HTMLButtonElement>('[role=alert] button')!.click();
    await settle();
    expect(root.querySelector('[role=alert]')).toBeNull();
    expect(root.textContent).toContain('Ana');
    c.teardown();
  });

  it('attune/widget mountCaseload: one <attune-widget> at the target, the view in its shadow root; remove() leaves nothing', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const refs = (JSON.parse(String(init.body)) as { clients: string[] }).clients;
        return new Response(JSON.stringify(answer(refs)), { headers: { 'Content-Type': 'application/json' } });
      }),
    );
    const slot = document.createElement('div');
    slot.id = 'caseload-slot';
    document.body.appendChild(slot);
    const seen: unknown[] = [];
    const view = publicMount({
      token: TOKEN,
      api: 'https://api.example/',
      target: '#caseload-slot',
      clients: [{ ref: 'r-1', name: 'Ana Souza' }],
      on: { caseload: (d) => seen.push(d) },
    });
    await vi.waitFor(() => expect(seen).toEqual([{ clients: 1 }]));
    const host = slot.querySelector('attune-widget')!;
    expect(host.shadowRoot!.textContent).toContain('Ana Souza');
    view.remove();
    expect(slot.querySelector('attune-widget')).toBeNull();
    slot.remove();
  });
});
