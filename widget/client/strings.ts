export interface ClientStrings {
  title: string;
  intro: string;
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
  /** A decline, stored. */
  skipped: string;
  /** Takes back a skip before it is sent. */
  undo: string;
  /** `{v}` value, `{max}` top of the scale. */
  valueOf: string;
  midway: string;
}

export const CLIENT_STRINGS: Record<string, ClientStrings> = {
  en: {
    title: "How was today's session?",
    intro: 'Rate each from 0 to 10: drag, tap the line, or use the arrow keys or number keys.',
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
    skipped: 'Your choice is saved.',
    undo: 'Rate after all',
    valueOf: '{v} out of {max}',
    midway: 'midway',
  },
  es: {
    title: '¿Cómo fue la sesión de hoy?',
    intro: 'Valora cada punto de 0 a 10: arrastra, toca la línea o usa las flechas o los números.',
    notSet: 'Sin valor',
    missing: 'Falta valorar: ',
    submit: 'Enviar valoración',
    skip: 'Omitir valoración',
    loading: 'Cargando…',
    thanks: 'Gracias por tu opinión.',
    thanksDeclined: 'Gracias. No se compartirá ninguna valoración de esta sesión.',
    sending: 'Enviando…',
    queued: 'Guardada en este dispositivo; se enviará cuando tengas conexión.',
    delivered: 'Enviada a tu terapeuta.',
    stored: 'Guardada. Tu terapeuta la verá al abrir el resumen.',
    failed: 'Lo sentimos, no se pudo guardar.',
    skipped: 'Tu decisión quedó guardada.',
    undo: 'Valorar de todos modos',
    valueOf: '{v} de {max}',
    midway: 'a medio camino',
  },
};
