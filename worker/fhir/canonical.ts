/**
 * Where Attune's Questionnaires are named. A canonical URL identifies a Questionnaire (it need not resolve); the
 * deployment sets its own base with the FHIR_CANONICAL_BASE variable, e.g. `https://attune.acme-health.com/fhir`.
 * Instruments are per platform (a platform registers its own, possibly under an id another platform also uses),
 * so the platform id (Attune's `plt_…`, not an identifier the platform gave) is part of the URL.
 */
export const DEFAULT_CANONICAL_BASE = 'https://attune.example/fhir';

/** What names a platform's Questionnaires: the deployment's base and the platform. */
export interface CanonicalScope {
  base: string;
  platformId: string;
}

export function canonicalScopeOf(env: { FHIR_CANONICAL_BASE?: string }, platformId: string): CanonicalScope {
  const base = (env.FHIR_CANONICAL_BASE || DEFAULT_CANONICAL_BASE).replace(/\/+$/, '');
  return { base, platformId };
}

/** `<base>/<platform id>/Questionnaire/<instrument id>` (the id percent-encoded: instrument ids are free text). */
export function questionnaireUrlOf(scope: CanonicalScope, instrumentId: string): string {
  return `${scope.base}/${encodeURIComponent(scope.platformId)}/Questionnaire/${encodeURIComponent(instrumentId)}`;
}
