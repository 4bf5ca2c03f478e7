// client.js: the client's chunk. After endSession() it shows the rating card; the submission goes through the
// outbox so a dropped network or a closed tab does not lose it. Plain DOM: see client/dom.ts for why.
import type { Instrument } from '../../schemas/instrument.ts';
import type { RatingSubmission } from '../../schemas/rating.ts';
import { isRatingSubmission } from './check-rating.ts';
import type { RatingReceipt, SessionContext } from '../../schemas/summary.ts';
import { CLIENT_CSS } from './client.css.ts';
import { h } from './dom.ts';
import { ratingCard } from './rating-card.ts';
import { CLIENT_LOCALES, EN, loadStrings, RTL_LOCALES, type ClientStrings } from './strings/index.ts';
import { thanksCard, type Delivery } from './thanks.ts';
import { getJson, sessionPath } from '../shared/api.ts';
import { backoff } from '../shared/backoff.ts';
import type { EndSessionOptions, MountContext, RoleController } from '../shared/contract.ts';
import { pickLocale } from '../shared/i18n.ts';
import { createOutbox, defaultStorage } from '../shared/outbox.ts';
import { mountRoot } from '../shared/root.ts';
import { tokenPayload } from '../shared/token-payload.ts';

const CONTEXT_TIMEOUT_MS = 8000;
/** The longest wait between two tries of /v1/context. */
const CONTEXT_RETRY_MAX_MS = 60_000;
/** A skip waits this long (or until the page is hidden) before it is sent, so "Rate after all" can take it back. */
const UNDO_MS = 8000;

/**
 * The bundled default instrument, fetched only when the context cannot be loaded, and used only when the token
 * names no other instrument: the Worker would refuse a rating for a guessed one (422 instrument_mismatch).
 */
const loadDefaultInstrument = () => import('./default-instrument.ts').then((m) => m.DEFAULT_INSTRUMENT);

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
  /** The element that had focus when endSession() came: a closed thank-you card hands focus back to it. */
  let from: Element | null = null;
  let instrument: Instrument | null = null;
  /** Why there is no instrument yet: still loading, waiting for the network, or refused for good. */
  let contextState: 'loading' | 'waiting' | 'failed' = 'loading';
  /** The idempotency key of this page's rating, the one the thank-you card reports on. */
  let mine = '';
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
    if (!instrument) {
      return show(
        h(
          'div',
          { class: 'card muted', role: 'status' },
          contextState === 'loading'
            ? strings.loading
            : contextState === 'waiting'
              ? strings.waitContext
              : strings.formFailed,
        ),
      );
    }
    const ins = instrument;
    card = ratingCard({
      instrument: ins,
      locale,
      strings,
      privacyNote: ctx.privacyNote,
      onSubmit: (items) => submit({ kind: 'rating', instrument: ins.id, version: ins.version, items }),
      onSkip,
    });
    show(card);
    live.textContent = strings.shown;
    // Only when the client ended the call themself, and focus has not gone elsewhere on the page since.
    const active = ctx.root.ownerDocument.activeElement;
    if (focusFrom !== undefined && (active === focusFrom || active === ctx.root.ownerDocument.body))
      card.querySelector('h2')?.focus();
    focusFrom = undefined;
  };
  // Only a floating card can be closed: it covers the host page's controls. Closing it changes nothing else (the
  // outbox still sends the rating; the phase stays 'thanks').
  const close = () => {
    const focused = view.contains(ctx.root.activeElement);
    view.replaceChildren();
    if (focused) (from as HTMLElement | null)?.focus();
  };
  const showThanks = (declined: boolean, focus: boolean, undo?: () => void) => {
    phase = 'thanks';
    live.textContent = '';
    thanks = thanksCard(declined, strings, undo, ctx.root.host.matches('[data-floating]') ? close : undefined);
    if (!undo) thanks.setDelivery(delivery);
    show(thanks.el);
    // Only right after a submit: on page load this would steal the host page's focus. It scrolls the card into view:
    // on a phone the form was far taller than its thanks, and the page would be left below them.
    if (focus) thanks.heading.focus();
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
    // Watches this page's rating among the attempts (the outbox also sends other tabs' and sessions' leftovers):
    // a network error, a timeout or a retryable answer means it waits, on this device or (storage full or blocked)
    // only in this page, unless the outbox then reports it settled.
    fetch: (url, init) => {
      // Every session posts to the same URL (the session is in the token): this page's rating is the one with its key.
      const key = url === ratingUrl && (init?.headers as Record<string, string> | undefined)?.['Idempotency-Key'];
      const waiting = () =>
        key === mine && delivery === 'sending' && setDelivery(outbox.saved(mine) ? 'queued' : 'unsaved');
      return fetch(url, init).then(
        (res) => {
          if (!res.ok && res.status !== 409) waiting();
          return res;
        },
        (e: unknown) => {
          waiting();
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
      if (item.key !== mine) return;
      // A 409 here is `already_rated`: this session holds a rating sent from another tab or an earlier page (the
      // Worker stores ratings only for the token's own client), and this one's values were not stored.
      setDelivery(status === 409 ? 'kept' : (body as RatingReceipt | null)?.delivered ? 'delivered' : 'stored');
      ctx.emit('rating:sent', { status, body });
    },
    onError: (err, item) => {
      if (item.key === mine && !outbox.items().some((i) => i.key === item.key))
        setDelivery(err.code === 'client_erased' ? 'erased' : 'failed');
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
    mine = outbox.enqueue('rating', ratingPath, body).key;
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

  const useContext = async (c: Partial<SessionContext>, ins: Instrument) => {
    const spoken = Object.keys(ins.items[0]?.text ?? {}).filter((l) =>
      (CLIENT_LOCALES as readonly string[]).includes(l),
    );
    const wanted = pickLocale(spoken, ctx.locale, ...browser, c.locale);
    await firstWords;
    if (wanted !== locale) await speak(wanted);
    if (torn) return;
    instrument = ins;
    ask = c.ask !== false;
    if (phase === 'rating') showCard();
  };
  // Tried until it answers (with backoff, and at once on `online`) while there is no instrument to rate with.
  let abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tries = 0;
  const loadContext = () => {
    clearTimeout(timer);
    abort.abort();
    const a = new AbortController();
    abort = a;
    timer = setTimeout(() => a.abort(), CONTEXT_TIMEOUT_MS);
    getJson<SessionContext>(ctx, '/v1/context', a.signal)
      .then(
        (c) => {
          if (!torn && c.instrument) return useContext(c, c.instrument);
        },
        async (e: unknown) => {
          ctx.error({ code: 'context_failed', message: 'Attune: ' + String(e) });
          if (torn || a !== abort || instrument) return;
          const def = await loadDefaultInstrument();
          const named = tokenPayload(ctx.token)?.ins;
          if (torn || instrument) return;
          if (named === undefined || named === def.id) return useContext({}, def);
          // The token names the platform's own instrument: no card until the API says what it is. A 4xx other
          // than a timeout or a rate limit will not get better by itself.
          const final = /: 4(?!08|29)\d\d$/.test(String(e));
          contextState = final ? 'failed' : 'waiting';
          if (phase === 'rating') showCard();
          if (!final) timer = setTimeout(loadContext, backoff(tries++, 1000, CONTEXT_RETRY_MAX_MS));
        },
      )
      .catch((e: unknown) => ctx.error({ code: 'context_failed', message: 'Attune: ' + String(e) }));
  };
  loadContext();
  const onOnline = () => !instrument && contextState === 'waiting' && loadContext();
  window.addEventListener('online', onOnline);

  // Reload with an unsent rating: thank the client again and send it.
  const waiting = outbox.items().find((i) => i.kind === 'rating');
  if (waiting) {
    mine = waiting.key;
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
      from = document.activeElement;
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
      window.removeEventListener('online', onOnline);
      clearTimeout(timer);
      abort.abort();
      outbox.stop();
      unlisten();
      root.teardown();
    },
  };
}
