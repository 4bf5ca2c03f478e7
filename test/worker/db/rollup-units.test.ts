import { describe, expect, it } from 'vitest';
import migration from '../../../migrations/0004_rollups_admin.sql?raw';
import migration0014 from '../../../migrations/0014_trend_days_by_instrument.sql?raw';
import migration0015 from '../../../migrations/0015_report_days_by_instrument.sql?raw';
import { SHARE_UNITS, shareUnitsSql, TOTAL_UNITS, totalUnitsSql } from '../../../worker/db/rollup-units.ts';

/** The SQL of one trigger of the migration, by name. */
const trigger = (name: string, text = migration): string => {
  const m = new RegExp(`CREATE TRIGGER ${name}\\b[\\s\\S]*?\\nEND;`).exec(text);
  if (!m) throw new Error(`no trigger ${name}`);
  return m[0];
};

describe('the rollup units', () => {
  it('are hundredths of a total and millionths of a share', () => {
    expect(TOTAL_UNITS).toBe(100);
    expect(SHARE_UNITS).toBe(1_000_000);
  });

  it("are the factors the migration's triggers use, on both insert and delete", () => {
    for (const row of ['NEW', 'OLD'] as const) {
      const ratings = trigger(row === 'NEW' ? 'ratings_rollup_insert' : 'ratings_rollup_delete');
      expect(ratings).toContain(totalUnitsSql(`${row}.total`));
      const pacing = trigger(row === 'NEW' ? 'pacing_rollup_insert' : 'pacing_rollup_delete');
      expect(pacing).toContain(shareUnitsSql(`${row}.therapist_talk_seconds`, `${row}.client_talk_seconds`));
    }
  });

  it('the migration uses no other factor', () => {
    const factors = [...migration.matchAll(/round\((\d+(?:\.0)?) \*|\* (\d+)\) AS INTEGER/g)].map((m) => m[1] ?? m[2]);
    expect(new Set(factors)).toEqual(new Set([`${SHARE_UNITS}.0`, `${TOTAL_UNITS}`]));
  });

  it('migration 0014 (the per-instrument trend rollup) uses the same total units, on insert, delete and backfill', () => {
    expect(trigger('trend_days_rating_insert', migration0014)).toContain(totalUnitsSql('NEW.total'));
    expect(trigger('trend_days_rating_delete', migration0014)).toContain(totalUnitsSql('OLD.total'));
    expect(migration0014).toContain(totalUnitsSql('r.total'));
    const factors = [...migration0014.matchAll(/round\((\d+(?:\.0)?) \*|\* (\d+)\) AS INTEGER/g)].map(
      (m) => m[1] ?? m[2],
    );
    expect(new Set(factors)).toEqual(new Set([`${TOTAL_UNITS}`]));
  });

  it('migration 0015 recreates the rating triggers of therapist_days without a sum of totals (it mixed instruments)', () => {
    for (const name of ['ratings_rollup_insert', 'ratings_rollup_delete']) {
      const recreated = trigger(name, migration0015);
      expect(recreated).not.toMatch(/total/);
      // Everything else the trigger of 0004 did, it still does.
      for (const column of ['rated', 'declined', 'flagged']) expect(recreated).toContain(`${column} = ${column}`);
    }
    expect(migration0015).toContain('ALTER TABLE therapist_days DROP COLUMN total_sum;');
  });
});
