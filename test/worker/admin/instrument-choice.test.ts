// Which instrument the caseload's pacing comparison and the admin reports are on: never a mix, chosen by sessions,
// deterministic on ties; an instrument asked for that the platform has not registered is refused.
import { describe, expect, it } from 'vitest';
import { instrumentAsked, instrumentWithMostSessions } from '../../../worker/admin/instrument-choice.ts';
import { ApiFailure } from '../../../worker/http/errors.ts';
import { likertInstrument } from '../../samples.ts';

// Several rows of one version (the caseload's weeks and sides) add up.
const row = (instrumentId: string, instrumentVersion: number, n: number) => ({ instrumentId, instrumentVersion, n });
const TOKEN = { id: 'attune-session-4', version: 1 };

describe('instrumentWithMostSessions', () => {
  it('takes the instrument (id and version) with the most sessions over all weeks and sides', () => {
    const rows = [row('attune-session-4', 1, 9), row('likert-3', 2, 6), row('likert-3', 2, 5), row('likert-3', 1, 3)];
    expect(instrumentWithMostSessions(rows, undefined, TOKEN)).toEqual({ id: 'likert-3', version: 2 });
  });

  it('breaks a tie towards the fallback, then the lowest id and the newest version', () => {
    expect(
      instrumentWithMostSessions([row('likert-3', 2, 4), row('attune-session-4', 1, 4)], undefined, TOKEN),
    ).toEqual(TOKEN);
    const other = { id: 'none', version: 1 };
    expect(
      instrumentWithMostSessions([row('srs', 1, 4), row('likert-3', 1, 4), row('likert-3', 2, 4)], undefined, other),
    ).toEqual({ id: 'likert-3', version: 2 });
  });

  it('keeps to the id asked for, and falls back when nothing was rated on it', () => {
    const rows = [row('attune-session-4', 1, 20), row('likert-3', 1, 2), row('likert-3', 2, 1)];
    expect(instrumentWithMostSessions(rows, 'likert-3', { id: 'likert-3', version: 2 })).toEqual({
      id: 'likert-3',
      version: 1,
    });
    expect(instrumentWithMostSessions(rows, 'srs', { id: 'srs', version: 3 })).toEqual({ id: 'srs', version: 3 });
    expect(instrumentWithMostSessions([], undefined, TOKEN)).toEqual(TOKEN);
  });
});

describe('instrumentAsked', () => {
  const settings = { instruments: [likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }))] };
  it('is null when the request names none, the registered instrument when it names one', () => {
    expect(instrumentAsked(settings, undefined)).toBeNull();
    expect(instrumentAsked(settings, 'likert-3')).toMatchObject({ id: 'likert-3', version: 2 });
    expect(instrumentAsked({}, 'attune-session-4')).toMatchObject({ id: 'attune-session-4', version: 1 });
  });
  it('refuses an id the platform has not registered with 422 unknown_instrument', () => {
    const refused = (() => {
      try {
        instrumentAsked(settings, 'srs');
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(ApiFailure);
    expect(refused).toMatchObject({ status: 422, code: 'unknown_instrument' });
  });
});
