import type { CaseloadStrings } from './index.ts';

export const es: CaseloadStrings = {
  title: 'Sus clientes',
  private:
    'Solo usted ve esto. Los nombres de sus clientes se quedan en este navegador; Attune guarda solo referencias codificadas.',
  loading: 'Cargando sus clientes…',
  failed: 'No se pudo cargar la lista de clientes.',
  retry: 'Reintentar',
  noClients: 'No hay clientes que mostrar.',
  offTitle: 'Fuera de la trayectoria esperada',
  offRule:
    'Un cliente aparece aquí cuando su última valoración está {drop} puntos o más por debajo de su propia media en hasta {window} sesiones anteriores, o cuando bajó dos veces seguidas, {falls} puntos o más en total.',
  offNone: 'Ahora mismo ningún cliente está fuera de su trayectoria.',
  reasonBaseline: 'Última {latest}, {d} por debajo de su media de {baseline} en {n} sesiones.',
  reasonFalls: 'Bajó dos veces seguidas: {a}, {b}, {c}.',
  lastSession: 'Última sesión valorada: {date}',
  allTitle: 'Todos los clientes',
  client: 'Cliente',
  rated: 'Sesiones valoradas',
  latest: 'Última',
  trend: 'Totales recientes',
  status: 'Estado',
  statusOff: 'Fuera de trayectoria',
  statusOn: 'En trayectoria',
  statusFew: 'Aún pocas valoraciones',
  statusNone: 'Aún sin valoraciones',
  sparkName: '{n} totales, de {first} a {last}',
  clientScale: 'Totales en {instrument}, versión {version}',
  paceTitle: 'Su ritmo junto a las valoraciones',
  sentenceLower:
    'En las sesiones en que usted habló más del {t} del tiempo, los clientes valoraron la sesión {d} puntos más bajo de media ({a} frente a {b} sesiones).',
  sentenceHigher:
    'En las sesiones en que usted habló más del {t} del tiempo, los clientes valoraron la sesión {d} puntos más alto de media ({a} frente a {b} sesiones).',
  sentenceSame:
    'En las sesiones en que usted habló más del {t} del tiempo, los clientes valoraron la sesión de forma parecida de media ({a} frente a {b} sesiones).',
  intervalLower: 'Intervalo del 95 %: de {lo} a {hi} puntos más bajo.',
  intervalHigher: 'Intervalo del 95 %: de {lo} a {hi} puntos más alto.',
  intervalSpans:
    'El intervalo del 95 % va de {lo} puntos más bajo a {hi} puntos más alto, así que puede deberse al azar.',
  notEnough:
    'Aún no hay sesiones suficientes para comparar: {a} en las que usted habló más del {t} del tiempo y {b} en las que no. Se necesitan al menos {min} de cada tipo.',
  association: 'Esto describe sus propias sesiones; no demuestra que hablar más causara la diferencia.',
  shareLabel: 'Su parte de la conversación',
  turnLabel: 'Su turno más largo (media)',
  overlapsLabel: 'Hablar a la vez (por sesión)',
  ratingLabel: 'Valoración media',
  seconds: '{s} s',
  window: 'Sesiones con valoración y ritmo, últimos {days} días.',
  instrumentScale: 'Solo valoraciones en la escala {instrument}; las sesiones valoradas con otra escala quedan fuera.',
  chartName:
    'Medias semanales en {n} semanas: valoraciones de {r1} a {r2}, su parte de la conversación de {s1} a {s2}.',
  legendRating: 'Valoración media de los clientes',
  legendShare: 'Su parte de la conversación',
  legendThreshold: '{t} de la conversación',
  showTable: 'Mostrar las semanas en una tabla',
  hideTable: 'Ocultar la tabla',
  caption: 'Sus sesiones por semana, de la más antigua a la más reciente',
  week: 'Semana del',
  sessions: 'Sesiones',
  noPacing: 'Aún no hay sesiones con valoración y ritmo en este periodo.',
};
