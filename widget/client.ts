// client.js: the client's chunk. After endSession() it shows the rating card; the submission goes through the
// outbox so a dropped network or a closed tab does not lose it. Plain DOM: see client/dom.ts for why.
import type { Instrument } from '../schemas/instrument.ts';
import type { RatingSubmission } from '../schemas/rating.ts';
import { isRatingSubmission } from './client/check-rating.ts';
import type { RatingReceipt } from '../schemas/summary.ts';
import { CLIENT_CSS } from './client/client.css.ts';
import { h } from './client/dom.ts';
import { ratingCard } from './client/rating-card.ts';
import { CLIENT_LOCALES, EN, loadStrings, RTL_LOCALES, type ClientStrings } from './client/strings.ts';
import { thanksCard, type Delivery } from './client/thanks.ts';
import { getJson, sessionPath } from './shared/api.ts';
import type { EndSessionOptions, MountContext, RoleController } from './shared/contract.ts';
import { pickLocale } from './shared/i18n.ts';
import { createOutbox, defaultStorage } from './shared/outbox.ts';
import { mountRoot } from './shared/root.ts';

const CONTEXT_TIMEOUT_MS = 8000;
/** A skip waits this long (or until the page is hidden) before it is sent, so "Rate after all" can take it back. */
const UNDO_MS = 8000;

/** The bundled default instrument, fetched only when the context cannot be loaded. */
const loadDefaultInstrument = () => import('./client/default-instrument.ts').then((m) => m.DEFAULT_INSTRUMENT);

export function mount(ctx: MountContext): RoleController {
  const queue = `attune:outbox:${ctx.sid}:client`;
  // The mark that this session's rating reached the API; for any session: `attune:outbox:` -> `attune:done:`.
  const done = (q: string) => q.replace(':outbox:', ':done:');
  const storage = defaultStorage(); // null when blocked: the outbox keeps the rating in memory
  // The token's locale, else the browser's languages; the context may narrow it to the instrument's languages.
  const browser = navigator.languages?.length ? navigator.languages : [navigator.language];
  let locale = pickLocale(CLIENT_LOCALES, ctx.locale, ...browser);
  let strings: ClientStrings = EN;
  const root = mountRoot(ctx, CLIENT_CSS, locale);
  const speak = (l: string) =>
    loadStrings(l).then((s) => {
      strings = s;
      locale = s === EN ? 'en' : l; // a language whose chunk did not load falls back to English, all of it
      root.el.lang = locale;
      root.el.dir = RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr';
    });
  root.el.dir = RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr';
  const firstWords = locale === 'en' ? null : speak(locale);
  // Polite, and in the page from the start, so a screen reader hears what is put in it later (the card appearing).
  const live = h('p', { class: 'sr', 'aria-live': 'polite' });
  const view = h('div');
  root.el.replaceChildren(live, view);
  /** Set by a user's own endSession(): the element that had focus then (the card takes it if it still has it). */
  let focusFrom: Element | null | undefined;
  let instrument: Instrument | null = null;
  let phase: 'idle' | 'rating' | 'thanks' | 'none' = 'idle';
  let ask = true;
  let delivery: Delivery = 'sending';
  let thanks: ReturnType<typeof thanksCard> | null = null;
  let card: HTMLFormElement | null = null;
  let torn = false;
  let skip: (() => void) | null = null;
  let skipTimer: ReturnType<typeof setTimeout> | undefined;
  const show = (el: Node) => view.replaceChildren(el);

  const showCard = () => {
    if (!ask) {
      // The platform's feedback-fatigue setting skips this session: no card; the host hears why.
      phase = 'none';
      view.replaceChildren();
      ctx.emit('rating:not-asked');
      return;
    }
    if (!instrument) return show(h('div', { class: 'card muted' }, strings.loading));
    const ins = instrument;
    show(
      (card = ratingCard({
        instrument: ins,
        locale,
        strings,
        privacyNote: ctx.privacyNote,
        onSubmit: (items) => submit({ kind: 'rating', instrument: ins.id, version: ins.version, items }),
        onSkip,
      })),
    );
    live.textContent = strings.shown;
    // Only when the client ended the call themself, and focus has not gone elsewhere on the page since.
    const active = ctx.root.ownerDocument.activeElement;
    if (focusFrom !== undefined && (active === focusFrom || active === ctx.root.ownerDocument.body)) card.querySelector('h2')?.focus();
    focusFrom = undefined;
  };
  const showThanks = (declined: boolean, focus: boolean, undo?: () => void) => {
    phase = 'thanks';
    live.textContent = '';
    thanks = thanksCard(declined, strings, undo);
    if (!undo) thanks.setDelivery(delivery);
    show(thanks.el);
    // Only right after a submit: on page load this would steal the host page's focus.
    if (focus) thanks.heading.focus({ preventScroll: true });
  };
  const setDelivery = (d: Delivery) => {
    delivery = d;
    thanks?.setDelivery(d);
  };

  const ratingPath = sessionPath('rating');
  const ratingUrl = ctx.api + ratingPath;
  const outbox = createOutbox({
    storageKey: queue,
    api: ctx.api,
    token: ctx.token,
    storage,
    // Watches this session's attempts (the outbox also sends other sessions' leftovers): a network error, or an
    // answer other than 2xx/409, means "saved on this device" unless the outbox then reports the item dropped.
    fetch: (url, init) => {
      // Every session posts to the same URL now (the session is in the token): this session's item carries its token.
      const mine = url === ratingUrl && new Headers(init?.headers).get('Authorization') === 'Bearer ' + ctx.token;
      return fetch(url, init).then(
        (res) => {
          if (mine && !res.ok && res.status !== 409) setDelivery('queued');
          return res;
        },
        (e: unknown) => {
          if (mine) setDelivery('queued');
          throw e;
        },
      );
    },
    onDelivered: ({ item, status, body, queue: q }) => {
      if (item.kind !== 'rating') return;
      try {
        storage?.setItem(done(q), (item.body as RatingSubmission).kind);
      } catch {
        // without storage a reload of this page would offer the card again; the API then answers 409
      }
      if (q !== queue) return;
      setDelivery(status < 300 && (body as RatingReceipt | null)?.delivered ? 'delivered' : 'stored');
      ctx.emit('rating:sent', { status, body });
    },
    onError: (err, item, q) => {
      if (q === queue && item.kind === 'rating' && !outbox.items().some((i) => i.key === item.key)) setDelivery('failed');
      ctx.error(err);
    },
  });

  const submit = (body: RatingSubmission, focus = true) => {
    if (!isRatingSubmission(body)) {
      ctx.error({ code: 'invalid_rating', message: 'Attune: the rating did not pass validation' });
      return;
    }
    delivery = 'sending';
    if (focus) showThanks(body.kind === 'declined', true);
    else thanks?.setDelivery(delivery);
    outbox.enqueue('rating', ratingPath, body);
    ctx.emit('rating:queued', { kind: body.kind });
  };

  // A skip is thanked at once but sent only after UNDO_MS, when the page is hidden, or on teardown.
  const sendSkip = () => {
    clearTimeout(skipTimer);
    skip = null;
    submit({ kind: 'declined' }, false);
  };
  function onSkip() {
    skip = sendSkip;
    skipTimer = setTimeout(sendSkip, UNDO_MS);
    showThanks(true, true, () => {
      clearTimeout(skipTimer);
      skip = null;
      phase = 'rating';
      show(card!); // the same form: values already set stay set
      card!.querySelector('input')?.focus();
    });
  }
  const onHidden = () => document.visibilityState === 'hidden' && skip?.();
  document.addEventListener('visibilitychange', onHidden);

  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), CONTEXT_TIMEOUT_MS);
  type Ctx = { instrument?: Instrument; locale?: string; ask?: boolean };
  getJson<Ctx>(ctx, '/v1/context', abort.signal)
    .catch((): Ctx => ({}))
    .then(async (c) => {
      clearTimeout(timer);
      const ins = c.instrument ?? (await loadDefaultInstrument());
      if (torn) return;
      const spoken = Object.keys(ins.items[0]?.text ?? {}).filter((l) => (CLIENT_LOCALES as readonly string[]).includes(l));
      const wanted = pickLocale(spoken, ctx.locale, ...browser, c.locale);
      await firstWords;
      if (wanted !== locale) await speak(wanted);
      if (torn) return;
      instrument = ins;
      ask = c.ask !== false;
      if (phase === 'rating') showCard();
    })
    .catch((e: unknown) => ctx.error({ code: 'context_failed', message: 'Attune: ' + String(e) }));

  // Reload with an unsent rating: thank the client again and send it.
  const waiting = outbox.items().find((i) => i.kind === 'rating');
  if (waiting) {
    const declined = (waiting.body as RatingSubmission).kind === 'declined';
    phase = 'thanks';
    if (firstWords) void firstWords.then(() => !torn && showThanks(declined, false));
    else showThanks(declined, false);
  }
  const unlisten = outbox.listen(window);
  void outbox.flush();

  return {
    // Privacy: nothing is measured on the client's side; the host's Room is not even kept.
    connect() {},
    attachAudio() {},
    endSession(options?: EndSessionOptions) {
      if (phase !== 'idle') return;
      if (options?.focus ?? navigator.userActivation?.isActive) focusFrom = document.activeElement;
      let kind: string | null = null;
      try {
        kind = storage?.getItem(done(queue)) ?? null;
      } catch {
        kind = null;
      }
      if (kind) {
        delivery = 'stored';
        showThanks(kind === 'declined', false);
      } else {
        phase = 'rating';
        showCard();
      }
    },
    teardown() {
      torn = true;
      skip?.();
      document.removeEventListener('visibilitychange', onHidden);
      clearTimeout(timer);
      abort.abort();
      outbox.stop();
      unlisten();
      root.teardown();
    },
  };
}
