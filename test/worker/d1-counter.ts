// A D1Database that records every statement the Worker runs through it, with D1's own `meta.rows_written` and
// `meta.rows_read` (triggers and index entries included, as D1 bills them). For counting a route's writes.

export interface Recorded {
  sql: string;
  /** 0 when the statement ran alone; otherwise the number of the batch it ran in (1, 2, ...). */
  batch: number;
  rowsWritten: number;
  rowsRead: number;
}

export function countingDb(db: D1Database): { db: D1Database; log: Recorded[] } {
  const log: Recorded[] = [];
  const targets = new WeakMap<object, { stmt: D1PreparedStatement; sql: string }>();
  let batches = 0;

  const record = (sql: string, batch: number, meta: D1Meta | undefined) =>
    log.push({
      sql: sql.replace(/\s+/g, ' ').trim(),
      batch,
      rowsWritten: meta?.rows_written ?? 0,
      rowsRead: meta?.rows_read ?? 0,
    });

  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'bind') return (...values: unknown[]) => wrap(target.bind(...values), sql);
        if (prop === 'run' || prop === 'all') {
          return async () => {
            const r = await target.all();
            record(sql, 0, r.meta);
            return r;
          };
        }
        if (prop === 'first') {
          return async (column?: string) => {
            // first() returns no meta: run it as all() (the same statement, the same reads) and take row one.
            const r = await target.all<Record<string, unknown>>();
            record(sql, 0, r.meta);
            const row = r.results[0] ?? null;
            return column === undefined || row === null ? row : (row[column] ?? null);
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    targets.set(proxy, { stmt, sql });
    return proxy;
  };

  const counted = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          const n = ++batches;
          const inner = statements.map((s) => targets.get(s) ?? { stmt: s, sql: '(unrecorded)' });
          const results = await target.batch(inner.map((s) => s.stmt));
          for (const [i, r] of results.entries()) record(inner[i]!.sql, n, r.meta);
          return results;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: counted, log };
}

export function totals(log: readonly Recorded[]) {
  const batches = new Set(log.filter((r) => r.batch > 0).map((r) => r.batch));
  return {
    statements: log.length,
    roundTrips: batches.size + log.filter((r) => r.batch === 0).length,
    writeStatements: log.filter((r) => r.rowsWritten > 0).length,
    rowsWritten: log.reduce((n, r) => n + r.rowsWritten, 0),
    rowsRead: log.reduce((n, r) => n + r.rowsRead, 0),
  };
}
