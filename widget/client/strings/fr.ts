import type { ClientStrings } from './index.ts';

// French: vous throughout; no participle or adjective that agrees with the reader's gender.
const fr: ClientStrings = {
  title: "Comment s'est passée la séance d'aujourd'hui ?",
  shown: 'La séance est terminée. Une courte fiche d’évaluation vient de s’ouvrir.',
  intro: 'Notez chaque point de 0 à 10 : touchez la ligne ou faites glisser le doigt le long de celle-ci.',
  introKeys:
    'Notez chaque point de 0 à 10 : cliquez sur la ligne ou faites glisser, ou utilisez les flèches (avec Maj pour les dixièmes) ou tapez un nombre.',
  privacy:
    'Seule la personne qui vous suit en thérapie voit vos réponses, pour adapter votre façon de travailler ensemble. Les rapports destinés au service ne montrent que des chiffres de groupe anonymes, jamais les vôtres.',
  notSet: 'Non noté',
  missing: 'Merci de noter : ',
  submit: 'Envoyer la note',
  skip: 'Passer',
  loading: 'Chargement…',
  thanks: 'Merci pour votre retour.',
  thanksDeclined: 'Merci. Aucune note ne sera partagée pour cette séance.',
  sending: 'Envoi…',
  queued: 'Enregistrée sur cet appareil ; elle sera envoyée dès que vous serez en ligne.',
  delivered: 'Envoyée à la personne qui vous suit.',
  stored: 'Enregistrée. Elle sera visible à l’ouverture du résumé de la séance.',
  failed: 'L’enregistrement a malheureusement échoué.',
  unsaved: 'Pas encore envoyé, ni enregistré sur cet appareil. Gardez cette page ouverte.',
  kept: 'Votre réponse précédente pour cette séance a été conservée ; celle-ci n’a pas été enregistrée.',
  erased: 'Non enregistré : vos données d’avis ont été effacées ici.',
  waitContext: 'Les questions apparaîtront dès que vous serez en ligne.',
  formFailed: 'Désolé, les questions n’ont pas pu être chargées.',
  skipped: 'Votre choix est enregistré.',
  undo: 'Noter quand même',
  close: 'Fermer',
  valueOf: '{v} sur {max}',
  ends: '{min} : {low}. {max} : {high}.',
};
export default fr;
