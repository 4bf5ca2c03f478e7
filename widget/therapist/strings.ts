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
