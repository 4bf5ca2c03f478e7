// Words of the trend section (the client's series across sessions and the therapist's rolling mean).
export interface TrendStrings {
  title: string;
  /** `{n}` rated sessions, `{first}` and `{last}` totals. */
  chartName: string;
  /** `{last}` the only rated total. */
  chartNameOne: string;
  /** Appended when some sessions were not rated: `{n}`. */
  unrated: string;
  legendClient: string;
  /** `{days}` */
  legendMean: string;
  showTable: string;
  hideTable: string;
  caption: string;
  date: string;
  total: string;
  share: string;
  thisSession: string;
  notRated: string;
  notRecorded: string;
  /** `{days}`, `{total}`, `{n}` sessions. */
  mean: string;
  /** The same with one session: `{days}`, `{total}`. */
  meanOne: string;
  /** `{share}` */
  meanShare: string;
  /** The `dropped` flag with the numbers: `{prev}`, `{now}`. */
  droppedFrom: string;
  /** Instead of "waiting" while the client has not been asked (feedback fatigue skipped it, or their page is not open). */
  notAsked: string;
}

export const TREND_STRINGS: Record<string, TrendStrings> = {
  en: {
    title: 'Across sessions',
    chartName: 'Totals over {n} sessions, from {first} to {last}',
    chartNameOne: 'Total {last}, the only rated session so far',
    unrated: '; {n} not rated',
    legendClient: 'This client',
    legendMean: 'Your mean, last {days} days',
    showTable: 'Show sessions as a table',
    hideTable: 'Hide the table',
    caption: "This client's sessions, oldest first",
    date: 'Date',
    total: 'Total',
    share: 'Your talk share',
    thisSession: 'this session',
    notRated: 'Not rated',
    notRecorded: 'Not recorded',
    mean: 'Your mean over the last {days} days: {total} across {n} sessions.',
    meanOne: 'Your mean over the last {days} days: {total} from one session.',
    meanShare: 'Your mean talk share: {share}.',
    droppedFrom: "Total dropped from {prev} to {now} since this client's previous session.",
    notAsked: 'The client has not been asked to rate this session.',
  },
  es: {
    title: 'A lo largo de las sesiones',
    chartName: 'Totales de {n} sesiones, de {first} a {last}',
    chartNameOne: 'Total {last}, la única sesión valorada hasta ahora',
    unrated: '; {n} sin valorar',
    legendClient: 'Este cliente',
    legendMean: 'Tu media, últimos {days} días',
    showTable: 'Ver las sesiones en una tabla',
    hideTable: 'Ocultar la tabla',
    caption: 'Sesiones de este cliente, de la más antigua a la más reciente',
    date: 'Fecha',
    total: 'Total',
    share: 'Tu parte de la conversación',
    thisSession: 'esta sesión',
    notRated: 'Sin valorar',
    notRecorded: 'Sin registrar',
    mean: 'Tu media en los últimos {days} días: {total} en {n} sesiones.',
    meanOne: 'Tu media en los últimos {days} días: {total} de una sesión.',
    meanShare: 'Tu parte media de la conversación: {share}.',
    droppedFrom: 'El total bajó de {prev} a {now} respecto a la sesión anterior de este cliente.',
    notAsked: 'No se ha pedido al cliente que valore esta sesión.',
  },
};

export const fill = (t: string, vars: Record<string, string | number>): string =>
  t.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
