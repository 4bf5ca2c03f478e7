// Every therapist locale, loaded eagerly for tests (the widget loads one lazily: widget/therapist/strings.ts).
import { ar } from '../../widget/therapist/locales/ar.ts';
import { de } from '../../widget/therapist/locales/de.ts';
import { en } from '../../widget/therapist/locales/en.ts';
import { es } from '../../widget/therapist/locales/es.ts';
import { fr } from '../../widget/therapist/locales/fr.ts';
import { pt } from '../../widget/therapist/locales/pt.ts';
import type { TherapistLocale } from '../../widget/therapist/strings.ts';

export const ALL_THERAPIST_LOCALES: Record<string, TherapistLocale> = { en, es, fr, de, pt, ar };
