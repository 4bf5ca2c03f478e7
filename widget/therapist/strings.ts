import { CUE_TEXT_EN } from '../pacing/cue-policy.ts';

export interface TherapistStrings {
  title: string;
  waiting: string;
  declined: string;
  total: string;
  flagsTitle: string;
  noFlags: string;
  totalLow: string;
  itemLow: string;
  dropped: string;
  item: string;
  score: string;
}

export const THERAPIST_STRINGS: Record<string, TherapistStrings> = {
  en: {
    title: 'Client feedback on this session',
    waiting: "Waiting for the client's rating…",
    declined: 'The client chose not to rate this session.',
    total: 'Total',
    flagsTitle: 'Worth a look',
    noFlags: 'No flags: scores are at or above the usual cut-offs.',
    totalLow: 'Total below {n} of {max}: the alliance may need attention next session.',
    itemLow: 'Below {n} on: {items}.',
    dropped: "Total dropped since this client's previous session.",
    item: 'Item',
    score: 'Score',
  },
  es: {
    title: 'Valoración del cliente sobre esta sesión',
    waiting: 'Esperando la valoración del cliente…',
    declined: 'El cliente decidió no valorar esta sesión.',
    total: 'Total',
    flagsTitle: 'Para revisar',
    noFlags: 'Sin alertas: las puntuaciones están en o por encima de los umbrales habituales.',
    totalLow: 'Total por debajo de {n} de {max}: conviene revisar la alianza en la próxima sesión.',
    itemLow: 'Por debajo de {n} en: {items}.',
    dropped: 'El total bajó respecto a la sesión anterior de este cliente.',
    item: 'Punto',
    score: 'Puntuación',
  },
};

/** The pacing strip (during the call) and the summary's pacing section. `{x}` placeholders are filled in. */
export interface PacingStrings {
  stripLabel: string;
  elapsed: string;
  minutesLeft: string;
  minutesOver: string;
  balance: string;
  balanceNone: string;
  cueLabel: string;
  dismiss: string;
  sectionTitle: string;
  talkBalance: string;
  talkBalanceValue: string;
  longestMonologue: string;
  overlaps: string;
  overlapsValue: string;
  silences: string;
  silencesValue: string;
  duration: string;
  cuesShown: string;
  localOnly: string;
  cues: Record<string, string>;
}

export const PACING_STRINGS: Record<string, PacingStrings> = {
  en: {
    stripLabel: 'Session pacing (only you see this)',
    elapsed: '{time} elapsed',
    minutesLeft: '{n} min left',
    minutesOver: '{n} min over',
    balance: 'Last 5 min: you {t}%, client {c}%',
    balanceNone: 'Last 5 min: no talk yet',
    cueLabel: 'Pacing cue',
    dismiss: 'Dismiss cue',
    sectionTitle: 'Pacing this session',
    talkBalance: 'Talk balance',
    talkBalanceValue: 'you {t}%, client {c}%',
    longestMonologue: 'Your longest turn',
    overlaps: 'Talking over each other',
    overlapsValue: '{n} times, {s}',
    silences: 'Silences',
    silencesValue: '{n}, longest {s}',
    duration: 'Duration',
    cuesShown: 'Cues shown',
    localOnly: 'Measured in this browser; not yet confirmed by the server.',
    cues: CUE_TEXT_EN,
  },
  es: {
    stripLabel: 'Ritmo de la sesión (solo lo ve usted)',
    elapsed: '{time} transcurrido',
    minutesLeft: 'quedan {n} min',
    minutesOver: '{n} min de más',
    balance: 'Últimos 5 min: usted {t} %, cliente {c} %',
    balanceNone: 'Últimos 5 min: aún nadie ha hablado',
    cueLabel: 'Sugerencia de ritmo',
    dismiss: 'Cerrar sugerencia',
    sectionTitle: 'Ritmo de esta sesión',
    talkBalance: 'Reparto de la palabra',
    talkBalanceValue: 'usted {t} %, cliente {c} %',
    longestMonologue: 'Su intervención más larga',
    overlaps: 'Hablaron a la vez',
    overlapsValue: '{n} veces, {s}',
    silences: 'Silencios',
    silencesValue: '{n}, el más largo {s}',
    duration: 'Duración',
    cuesShown: 'Sugerencias mostradas',
    localOnly: 'Medido en este navegador; el servidor aún no lo ha confirmado.',
    cues: {
      'balance.leaveRoom': 'Últimamente ha hablado usted la mayor parte del tiempo. Quizá haya espacio para su cliente.',
      'monologue.pause': 'Una pausa aquí podría invitar a su cliente a hablar.',
      'overlap.space': 'Han hablado a la vez varias veces. Un poco más de espacio puede ayudar.',
      'time.minutesLeft': 'Quedan {minutes} minutos.',
      'time.ratingReserve': 'Es momento de ir cerrando y dejar unos minutos para la valoración.',
      'time.overrun': 'La sesión ha pasado de la hora prevista.',
    },
  },
};
