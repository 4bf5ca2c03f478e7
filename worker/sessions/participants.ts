import { ApiFailure } from '../http/errors.ts';

/** A session's therapist and client (hashed). */
export interface Participants {
  therapistHash: string;
  clientHash: string;
}

/**
 * A session keeps the therapist and client it was first recorded with: 403 session_mismatch for a token naming
 * others. Thrown by every route that reads or writes a session (the writes check it again in SQL).
 */
export const sessionMismatch = (): ApiFailure =>
  new ApiFailure(403, 'session_mismatch', 'This session was recorded with other participants.');

/** True when the session is not recorded yet (`recorded` null), or recorded with exactly these participants. */
export function sameParticipants(expected: Participants, recorded: Participants | null): boolean {
  return (
    recorded === null ||
    (recorded.therapistHash === expected.therapistHash && recorded.clientHash === expected.clientHash)
  );
}

/** Throws session_mismatch unless sameParticipants; with `recordedOnly`, also when the session is not recorded. */
export function assertParticipants(expected: Participants, recorded: Participants | null, recordedOnly = false): void {
  if ((recordedOnly && !recorded) || !sameParticipants(expected, recorded)) throw sessionMismatch();
}
