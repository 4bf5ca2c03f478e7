// Which instrument the caseload's pacing comparison is on: never a mix, chosen by sessions, deterministic on ties.
import { describe, expect, it } from 'vitest';
import { paceInstrumentOf } from '../../../worker/caseload/build-caseload.ts';
import type { PaceRow } from '../../../worker/db/caseload-queries.ts';

const row = (instrumentId: string, instrumentVersion: number, n: number, weeksAgo = 0): PaceRow => ({
  instrumentId,
  instrumentVersion,
  weeksAgo,
  above: 0,
  n,
  totalSum: 0,
  totalSq: 0,
  shareSum: 0,
  turnSum: 0,
  overlapSum: 0,
});
const TOKEN = { id: 'attune-session-4', version: 1 };

describe('paceInstrumentOf', () => {
  it('takes the instrument (id and version) with the most sessions over all weeks and sides', () => {
    const rows = [
      row('attune-session-4', 1, 9),
      row('likert-3', 2, 6),
      row('likert-3', 2, 5, 1),
      row('likert-3', 1, 3),
    ];
    expect(paceInstrumentOf(rows, undefined, TOKEN)).toEqual({ id: 'likert-3', version: 2 });
  });

  it('breaks a tie towards the fallback, then the lowest id and the newest version', () => {
    expect(paceInstrumentOf([row('likert-3', 2, 4), row('attune-session-4', 1, 4)], undefined, TOKEN)).toEqual(TOKEN);
    const other = { id: 'none', version: 1 };
    expect(
      paceInstrumentOf([row('srs', 1, 4), row('likert-3', 1, 4), row('likert-3', 2, 4)], undefined, other),
    ).toEqual({ id: 'likert-3', version: 2 });
  });

  it('keeps to the id asked for, and falls back when nothing was rated on it', () => {
    const rows = [row('attune-session-4', 1, 20), row('likert-3', 1, 2), row('likert-3', 2, 1)];
    expect(paceInstrumentOf(rows, 'likert-3', { id: 'likert-3', version: 2 })).toEqual({ id: 'likert-3', version: 1 });
    expect(paceInstrumentOf(rows, 'srs', { id: 'srs', version: 3 })).toEqual({ id: 'srs', version: 3 });
    expect(paceInstrumentOf([], undefined, TOKEN)).toEqual(TOKEN);
  });
});
