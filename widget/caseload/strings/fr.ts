import type { CaseloadStrings } from './index.ts';

export const fr: CaseloadStrings = {
  title: 'Vos clients',
  private:
    'Vous seul voyez ceci. Les noms de vos clients restent dans ce navigateur ; Attune ne garde que des références codées.',
  loading: 'Chargement de vos clients…',
  failed: 'La liste de vos clients n’a pas pu être chargée.',
  retry: 'Réessayer',
  noClients: 'Aucun client à afficher.',
  offTitle: 'Hors de la trajectoire attendue',
  offRule:
    'Un client apparaît ici quand sa dernière évaluation est inférieure d’au moins {drop} points à sa propre moyenne sur au plus {window} séances précédentes, ou a baissé deux fois de suite, d’au moins {falls} points en tout.',
  offNone: 'Aucun client n’est hors trajectoire pour le moment.',
  reasonBaseline: 'Dernière {latest}, {d} sous sa moyenne de {baseline} sur {n} séances.',
  reasonFalls: 'A baissé deux fois de suite : {a}, {b}, {c}.',
  lastSession: 'Dernière séance évaluée : {date}',
  allTitle: 'Tous les clients',
  client: 'Client',
  rated: 'Séances évaluées',
  latest: 'Dernière',
  trend: 'Totaux récents',
  status: 'État',
  statusOff: 'Hors trajectoire',
  statusOn: 'Dans la trajectoire',
  statusFew: 'Encore trop peu d’évaluations',
  statusNone: 'Pas encore d’évaluation',
  sparkName: '{n} totaux, de {first} à {last}',
  clientScale: 'Totaux sur {instrument}, version {version}',
  paceTitle: 'Votre rythme à côté de leurs évaluations',
  sentenceLower:
    'Dans vos séances où vous avez parlé plus de {t} du temps, les clients ont évalué la séance {d} points plus bas en moyenne ({a} contre {b} séances).',
  sentenceHigher:
    'Dans vos séances où vous avez parlé plus de {t} du temps, les clients ont évalué la séance {d} points plus haut en moyenne ({a} contre {b} séances).',
  sentenceSame:
    'Dans vos séances où vous avez parlé plus de {t} du temps, les clients ont évalué la séance à peu près de la même façon en moyenne ({a} contre {b} séances).',
  intervalLower: 'Intervalle à 95 % : de {lo} à {hi} points plus bas.',
  intervalHigher: 'Intervalle à 95 % : de {lo} à {hi} points plus haut.',
  intervalSpans:
    'L’intervalle à 95 % va de {lo} points plus bas à {hi} points plus haut : cela peut être dû au hasard.',
  notEnough:
    'Pas encore assez de séances pour comparer : {a} où vous avez parlé plus de {t} du temps et {b} où ce n’était pas le cas. Il en faut au moins {min} de chaque.',
  association: 'Ceci décrit vos propres séances ; cela ne montre pas que parler davantage a causé la différence.',
  shareLabel: 'Votre part de parole',
  turnLabel: 'Votre plus long tour de parole (moyenne)',
  overlapsLabel: 'Paroles qui se chevauchent (par séance)',
  ratingLabel: 'Évaluation moyenne',
  seconds: '{s} s',
  window: 'Séances avec une évaluation et un rythme, {days} derniers jours.',
  instrumentScale:
    'Uniquement les évaluations sur l’échelle {instrument} ; les séances évaluées sur une autre échelle ne sont pas comptées.',
  chartName:
    'Moyennes hebdomadaires sur {n} semaines : évaluations de {r1} à {r2}, votre part de parole de {s1} à {s2}.',
  legendRating: 'Évaluation moyenne des clients',
  legendShare: 'Votre part de parole',
  legendThreshold: '{t} de parole',
  showTable: 'Afficher les semaines sous forme de tableau',
  hideTable: 'Masquer le tableau',
  caption: 'Vos séances par semaine, de la plus ancienne à la plus récente',
  week: 'Semaine du',
  sessions: 'Séances',
  noPacing: 'Pas encore de séance avec une évaluation et un rythme sur cette période.',
};
