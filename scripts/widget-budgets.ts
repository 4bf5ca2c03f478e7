// Size budgets for what each role downloads before its UI runs (the loader plus the role chunk and the chunks it
// imports statically), measured gzip level 9. The build fails when one is exceeded (scripts/build-widget.ts).
// The caseload view has its own loader (caseload.js) and chunk: the call page's paths never carry it.
import type { Metafile } from 'esbuild';

export const BUDGETS_GZIP = { client: 10_240, therapist: 28 * 1024, caseload: 16 * 1024 } as const;

export type BudgetRole = keyof typeof BUDGETS_GZIP;

/** A file plus every chunk it imports statically (what the browser must fetch before it runs). */
export function staticClosure(meta: Metafile, file: string, seen = new Set<string>(), lazyToo = false): Set<string> {
  seen.add(file);
  for (const imp of meta.outputs[file]?.imports ?? []) {
    if ((imp.kind === 'import-statement' || (lazyToo && imp.kind === 'dynamic-import')) && !seen.has(imp.path)) {
      staticClosure(meta, imp.path, seen, lazyToo);
    }
  }
  return seen;
}

export interface BudgetResult {
  role: BudgetRole;
  files: string[];
  gzip: number;
  budget: number;
  ok: boolean;
}

/**
 * One result per role that has an entry. `loader` and `entries` are output paths as in the metafile (`loaders`
 * names a role's own loader, e.g. caseload.js); `gzipOf` gives a file's size.
 */
export function checkBudgets(
  meta: Metafile,
  loader: string,
  entries: Partial<Record<BudgetRole, string>>,
  gzipOf: (file: string) => number,
  budgets: Partial<Record<BudgetRole, number>> = BUDGETS_GZIP,
  loaders: Partial<Record<BudgetRole, string>> = {},
): BudgetResult[] {
  const roles = (Object.keys(budgets) as BudgetRole[]).filter((r) => entries[r] && budgets[r] !== undefined);
  return roles.map((role) => {
    const budget = budgets[role]!;
    const files = [...staticClosure(meta, entries[role]!, new Set([loaders[role] ?? loader]))];
    const gzip = files.reduce((n, f) => n + gzipOf(f), 0);
    return { role, files, gzip, budget, ok: gzip <= budget };
  });
}
