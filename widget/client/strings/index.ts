// The client's words. English ships in client.js; every other language is a lazy chunk of its own (./<lang>.ts beside this file),
// so a language costs the client's download nothing unless it is the one spoken.

export interface ClientStrings {
  title: string;
  /** Said politely by a live region when the card appears. */
  shown: string;
  /** The intro on a device with only touch. */
  intro: string;
  /** The intro on a device with a mouse or trackpad, and so most likely a keyboard. */
  introKeys: string;
  /** Who sees the answers; a platform can replace it (`data-privacy-note`). */
  privacy: string;
  notSet: string;
  missing: string;
  submit: string;
  skip: string;
  loading: string;
  thanks: string;
  thanksDeclined: string;
  sending: string;
  queued: string;
  /** The Worker pushed it to the therapist's open summary. */
  delivered: string;
  /** Stored, but the therapist's summary was not open. */
  stored: string;
  failed: string;
  /** Not sent yet and storage would not take it: only this open page holds it. */
  unsaved: string;
  /** 409 already_rated: the session holds this client's other answer (another tab, an earlier page). */
  kept: string;
  /** 410 client_erased: the client's records were erased; nothing is stored. */
  erased: string;
  /** No card yet: the token names the platform's own questions and /v1/context has not answered. */
  waitContext: string;
  /** No card: /v1/context refused for good. */
  formFailed: string;
  /** A decline, stored. */
  skipped: string;
  /** Takes back a skip before it is sent. */
  undo: string;
  /** The accessible name of the floating thank-you card's close button (it shows ×). */
  close: string;
  /** The value read by a screen reader: `{v}` value, `{max}` top of the scale. */
  valueOf: string;
  /** The item's description: `{min}`/`{max}` the ends of the scale, `{low}`/`{high}` their words. */
  ends: string;
}

export const EN: ClientStrings = {
  title: "How was today's session?",
  shown: 'The session has ended. A short rating card has opened.',
  intro: 'Rate each from 0 to 10: tap the line, or slide along it.',
  introKeys:
    'Rate each from 0 to 10: click the line or drag, or use the arrow keys (with Shift for tenths) or type a number.',
  privacy:
    'Only your therapist sees your answers. They use them to adjust how you work together. Reports for the service show only anonymous group figures, never yours.',
  notSet: 'Not set',
  missing: 'Please rate: ',
  submit: 'Send rating',
  skip: 'Skip rating',
  loading: 'Loading…',
  thanks: 'Thank you for your feedback.',
  thanksDeclined: 'Thank you. No rating will be shared for this session.',
  sending: 'Sending…',
  queued: 'Saved on this device; it will be sent when you are online.',
  delivered: 'Sent to your therapist.',
  stored: 'Saved. Your therapist will see it when they open the summary.',
  failed: 'Sorry, this could not be saved.',
  unsaved: 'Not sent yet, and not saved on this device. Keep this page open.',
  kept: 'Your earlier answer for this session was kept; this one was not saved.',
  erased: 'Not saved: your feedback records here were erased.',
  waitContext: 'The questions will appear once you are online.',
  formFailed: 'Sorry, the questions could not be loaded.',
  skipped: 'Your choice is saved.',
  undo: 'Rate after all',
  close: 'Close',
  valueOf: '{v} of {max}',
  ends: '{min}: {low}. {max}: {high}.',
};

export const RTL_LOCALES: readonly string[] = ['ar'];

const LAZY: Record<string, () => Promise<{ default: ClientStrings }>> = {
  es: () => import('./es.ts'),
  fr: () => import('./fr.ts'),
  de: () => import('./de.ts'),
  pt: () => import('./pt.ts'),
  ar: () => import('./ar.ts'),
};

/** Every language the client's card speaks; each but English is loaded on demand. */
export const CLIENT_LOCALES: readonly string[] = ['en', ...Object.keys(LAZY)];

/** The strings of a supported locale (English at once, others fetched); English if the chunk cannot load. */
export function loadStrings(locale: string): Promise<ClientStrings> {
  const lazy = LAZY[locale];
  return lazy
    ? lazy().then(
        (m) => m.default,
        () => EN,
      )
    : Promise.resolve(EN);
}
