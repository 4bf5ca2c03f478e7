/**
 * Remote levels from `RTCRtpReceiver.getSynchronizationSources()`: the browser's own audio level of the last
 * packet per source (RFC 6464 level, converted to linear 0..1). No WebAudio graph, and it works where a remote
 * track fed into WebAudio stays silent until it is also played by a media element (a long-standing Chromium quirk).
 */

/** Packets older than this mean the sender stopped sending (DTX in a pause): silence, not the old level. */
const STALE_MS = 250;
/** The timestamp is on the wall clock (performance.timeOrigin + now); beyond this skew we cannot judge staleness. */
const CLOCK_SKEW_MS = 60_000;

export type ReceiverLike = Pick<RTCRtpReceiver, 'getSynchronizationSources'>;

/**
 * Power (level squared) of the loudest fresh source of the receiver at nowEpochMs; 0 if every source is stale;
 * null when the receiver gives no levels (nothing received yet, or no level support): then use the track.
 */
export function receiverPower(receiver: ReceiverLike, nowEpochMs: number): number | null {
  let sources: RTCRtpSynchronizationSource[];
  try {
    sources = receiver.getSynchronizationSources();
  } catch {
    return null;
  }
  let known = false;
  let max = 0;
  for (const s of sources) {
    const level = s.audioLevel;
    if (level === undefined || !Number.isFinite(level)) continue;
    known = true;
    const age = nowEpochMs - s.timestamp;
    if (age > STALE_MS && age < CLOCK_SKEW_MS) continue;
    const l = level > 1 ? 1 : Math.max(level, 0);
    if (l > max) max = l;
  }
  return known ? max * max : null;
}
