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
  queued: string;
  sent: string;
  failed: string;
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
    skip: 'Skip',
    loading: 'Loading…',
    thanks: 'Thank you for your feedback.',
    thanksDeclined: 'Thank you. No rating will be shared for this session.',
    queued: 'Saved on this device; it will be sent as soon as you are online.',
    sent: 'Sent to your therapist.',
    failed: 'Sorry, this could not be saved.',
    valueOf: '{v} out of {max}',
    midway: 'midway',
  },
  es: {
    title: '¿Cómo fue la sesión de hoy?',
    intro: 'Valora cada punto de 0 a 10: arrastra, toca la línea o usa las flechas o los números.',
    notSet: 'Sin valor',
    missing: 'Falta valorar: ',
    submit: 'Enviar valoración',
    skip: 'Omitir',
    loading: 'Cargando…',
    thanks: 'Gracias por tu opinión.',
    thanksDeclined: 'Gracias. No se compartirá ninguna valoración de esta sesión.',
    queued: 'Guardada en este dispositivo; se enviará en cuanto tengas conexión.',
    sent: 'Enviada a tu terapeuta.',
    failed: 'Lo sentimos, no se pudo guardar.',
    valueOf: '{v} de {max}',
    midway: 'a medio camino',
  },
};
