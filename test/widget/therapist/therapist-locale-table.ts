// Every therapist locale, loaded eagerly for tests (the widget loads one lazily: widget/therapist/strings/index.ts).
import { ar } from '../../../widget/therapist/strings/ar.ts';
import { de } from '../../../widget/therapist/strings/de.ts';
import { en } from '../../../widget/therapist/strings/en.ts';
import { es } from '../../../widget/therapist/strings/es.ts';
import { fr } from '../../../widget/therapist/strings/fr.ts';
import { pt } from '../../../widget/therapist/strings/pt.ts';
import type { TherapistLocale } from '../../../widget/therapist/strings/index.ts';

export const ALL_THERAPIST_LOCALES: Record<string, TherapistLocale> = { en, es, fr, de, pt, ar };
