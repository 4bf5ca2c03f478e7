/**
 * The units of the integer sums in therapist_days (migrations/0004_rollups_admin.sql): integers, so the triggers'
 * decrements are exact. The triggers, the from-scratch recomputation and every reader use these factors;
 * test/worker/db/rollup-units.test.ts checks the migration's SQL against them.
 */

/** A rated total is summed in hundredths. */
export const TOTAL_UNITS = 100;
/** The therapist's talk share (0..1) is summed in millionths. */
export const SHARE_UNITS = 1_000_000;

/** SQL: a rating's total (column `total`) in rollup units. */
export const totalUnitsSql = (total: string) => `CAST(round(${total} * ${TOTAL_UNITS}) AS INTEGER)`;

/** SQL: the therapist's talk share of a pacing row in rollup units (only where the talk sum is positive). */
export const shareUnitsSql = (therapistTalk: string, clientTalk: string) =>
  `CAST(round(${SHARE_UNITS}.0 * ${therapistTalk} / (${therapistTalk} + ${clientTalk})) AS INTEGER)`;
