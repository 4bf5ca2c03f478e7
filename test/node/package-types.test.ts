// The public types of `attune/widget` (widget/index.ts, self-contained so no valibot, Preact or livekit-client
// types reach a consumer) against the internal ones. The checks are types: `npm run typecheck` (in .ci/run) fails
// when they drift; the runtime assertion only keeps the file a test.
import type { Room } from 'livekit-client';
import type * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { ApiError as ApiErrorSchema } from '../../schemas/common.ts';
import type { CueKind as CueKindSchema, PacingAggregates as PacingSchema } from '../../schemas/pacing.ts';
import type { RatingReceipt as ReceiptSchema, SessionSummary as SummarySchema } from '../../schemas/summary.ts';
import type { RoomLike as AdapterRoom } from '../../widget/therapist/audio/livekit-room.ts';
import type { Cue } from '../../pacing/cue-rules.ts';
import type { PacingSnapshot as InternalSnapshot } from '../../pacing/session.ts';
import type { WidgetError as InternalError } from '../../widget/shared/contract.ts';
import type * as Public from '../../widget/index.ts';
import type { NamedClient } from '../../widget/caseload/caseload-text.ts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Fits<A, B> = [A] extends [B] ? true : false;

const checks = {
  summary: true satisfies Same<Public.SessionSummary, v.InferOutput<typeof SummarySchema>>,
  pacing: true satisfies Same<Public.PacingAggregates, v.InferOutput<typeof PacingSchema>>,
  receipt: true satisfies Same<Public.RatingReceipt, v.InferOutput<typeof ReceiptSchema>>,
  apiError: true satisfies Same<Public.ApiError, v.InferOutput<typeof ApiErrorSchema>>,
  cueKind: true satisfies Same<Public.CueKind, v.InferOutput<typeof CueKindSchema>>,
  widgetError: true satisfies Same<Public.WidgetError, InternalError>,
  // What the widget emits carries at least the public fields.
  snapshot: true satisfies Fits<InternalSnapshot, Public.PacingSnapshot>,
  cue: true satisfies Fits<Pick<Cue, 'kind' | 'key' | 'minutesLeft'>, Public.CueRaised>,
  // The public Room shape is the one the adapter reads, and a real livekit-client Room fits it.
  room: true satisfies Same<Public.RoomLike, AdapterRoom>,
  livekitRoom: true satisfies Fits<Room, Public.RoomLike>,
  // The caseload's public client shape is what the view accepts.
  caseloadClient: true satisfies Fits<Public.CaseloadClientRef, NamedClient>,
};

describe('attune/widget public types', () => {
  it('agree with the internal types (checked by tsc)', () => {
    expect(Object.values(checks).every((c) => c === true)).toBe(true);
  });
});
