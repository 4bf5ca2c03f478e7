import type { ClientStrings } from './index.ts';

// Spanish: tú throughout; wording that does not mark the reader's gender.
const es: ClientStrings = {
  title: '¿Cómo fue la sesión de hoy?',
  shown: 'La sesión ha terminado. Se abrió una breve tarjeta de valoración.',
  intro: 'Valora cada punto de 0 a 10: toca la línea o desliza el dedo sobre ella.',
  introKeys:
    'Valora cada punto de 0 a 10: haz clic en la línea o arrastra, o usa las flechas (con Mayús para décimas) o escribe un número.',
  privacy:
    'Solo tu terapeuta ve tus respuestas y las usa para ajustar el trabajo en común. Los informes para el servicio muestran solo cifras de grupo anónimas, nunca las tuyas.',
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
  unsaved: 'Aún no se envió ni se guardó en este dispositivo. Mantén esta página abierta.',
  kept: 'Se conservó tu respuesta anterior para esta sesión; esta no se guardó.',
  erased: 'No se guardó: tus registros de opiniones aquí se borraron.',
  waitContext: 'Las preguntas aparecerán cuando tengas conexión.',
  formFailed: 'Lo sentimos, no se pudieron cargar las preguntas.',
  skipped: 'Tu decisión quedó guardada.',
  undo: 'Valorar de todos modos',
  close: 'Cerrar',
  valueOf: '{v} de {max}',
  ends: '{min}: {low}. {max}: {high}.',
};
export default es;
