import type { ClientStrings } from './index.ts';

// German: Sie throughout; no noun that names the therapist's gender (no "Therapeut/in").
const de: ClientStrings = {
  title: 'Wie war die heutige Sitzung?',
  shown: 'Die Sitzung ist beendet. Ein kurzer Bewertungsbogen ist geöffnet.',
  intro: 'Bewerten Sie jeden Punkt von 0 bis 10: Tippen Sie auf die Linie oder wischen Sie an ihr entlang.',
  introKeys:
    'Bewerten Sie jeden Punkt von 0 bis 10: Klicken Sie auf die Linie oder ziehen Sie, oder nutzen Sie die Pfeiltasten (mit Umschalt für Zehntel) oder tippen Sie eine Zahl.',
  privacy:
    'Ihre Antworten sieht nur die Person, die Sie therapeutisch begleitet, um die gemeinsame Arbeit anzupassen. Berichte für den Dienst zeigen nur anonyme Gruppenwerte, nie Ihre eigenen.',
  notSet: 'Nicht gesetzt',
  missing: 'Bitte bewerten: ',
  submit: 'Bewertung senden',
  skip: 'Überspringen',
  loading: 'Wird geladen…',
  thanks: 'Vielen Dank für Ihre Rückmeldung.',
  thanksDeclined: 'Danke. Für diese Sitzung wird keine Bewertung geteilt.',
  sending: 'Wird gesendet…',
  queued: 'Auf diesem Gerät gespeichert; wird gesendet, sobald Sie online sind.',
  delivered: 'An Ihre therapeutische Begleitung gesendet.',
  stored: 'Gespeichert. Sie wird beim Öffnen der Zusammenfassung sichtbar.',
  failed: 'Das konnte leider nicht gespeichert werden.',
  unsaved: 'Noch nicht gesendet und nicht auf diesem Gerät gespeichert. Bitte lassen Sie diese Seite geöffnet.',
  kept: 'Ihre frühere Antwort zu dieser Sitzung wurde behalten; diese wurde nicht gespeichert.',
  erased: 'Nicht gespeichert: Ihre Rückmeldungsdaten wurden hier gelöscht.',
  waitContext: 'Die Fragen erscheinen, sobald Sie online sind.',
  formFailed: 'Die Fragen konnten leider nicht geladen werden.',
  skipped: 'Ihre Entscheidung ist gespeichert.',
  undo: 'Doch bewerten',
  close: 'Schließen',
  valueOf: '{v} von {max}',
  ends: '{min}: {low}. {max}: {high}.',
};
export default de;
