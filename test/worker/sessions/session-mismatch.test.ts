import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../worker/http/errors.ts';
import { assertParticipants, sameParticipants } from '../../../worker/sessions/participants.ts';

const us = { therapistHash: 't1', clientHash: 'c1' };

describe('the session_mismatch check', () => {
  it('passes the recorded participants, and a session not recorded yet', () => {
    expect(sameParticipants(us, { ...us })).toBe(true);
    expect(sameParticipants(us, null)).toBe(true);
    expect(() => assertParticipants(us, { ...us })).not.toThrow();
    expect(() => assertParticipants(us, null)).not.toThrow();
  });

  it('refuses another therapist or client with 403 session_mismatch', () => {
    for (const other of [
      { ...us, therapistHash: 't2' },
      { ...us, clientHash: 'c2' },
    ]) {
      expect(sameParticipants(us, other)).toBe(false);
      expect(() => assertParticipants(us, other)).toThrow(
        expect.objectContaining({ status: 403, code: 'session_mismatch' }),
      );
    }
  });

  it('refuses a session that is not recorded when it must be', () => {
    expect(() => assertParticipants(us, null, true)).toThrow(ApiFailure);
  });
});
