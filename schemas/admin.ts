import * as v from 'valibot';
import { Ref } from './common.ts';

/** A calendar day as YYYY-MM-DD (UTC). */
export const IsoDate = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'));

/** Query of `GET /v1/reports/{therapists,weeks}`; the range is widened to whole ISO weeks (default: 13 weeks). */
export const ReportQuery = v.object({
  from: v.optional(IsoDate),
  to: v.optional(IsoDate),
  format: v.optional(v.picklist(['json', 'csv'])),
});

const Measure = v.nullable(v.number());

/** One published line of a report; every measure is null when suppressed. */
export const ReportRow = v.object({
  /** Therapist pseudonym (t_…), week start (YYYY-MM-DD), or "total". */
  key: v.string(),
  /** Rated sessions; null when suppressed. */
  sessions: v.nullable(v.number()),
  /** Sessions in which the client was asked (declines included). */
  asked: v.nullable(v.number()),
  meanTotal: Measure,
  flaggedShare: Measure,
  /** Rated / asked. */
  completionRate: Measure,
  /** Over sessions with pacing; suppressed on its own count. */
  meanTherapistShare: Measure,
  suppressed: v.boolean(),
  talkShareSuppressed: v.boolean(),
});
export type ReportRow = v.InferOutput<typeof ReportRow>;

/** A de-identified report: small cells (and the complementary cells that would reveal them) are null. */
export const Report = v.object({
  report: v.picklist(['therapists', 'weeks']),
  from: IsoDate,
  to: IsoDate,
  minCell: v.number(),
  minClients: v.number(),
  /** The last day of the last published (closed, frozen) ISO week. */
  publishedThrough: v.optional(IsoDate),
  rows: v.array(ReportRow),
  total: ReportRow,
});
export type Report = v.InferOutput<typeof Report>;

/** `POST /v1/reports/pseudonyms`: the platform's own therapist refs (hashed on arrival, never stored). */
export const PseudonymRequest = v.object({ therapists: v.pipe(v.array(Ref), v.minLength(1), v.maxLength(1000)) });

export const PseudonymList = v.object({ pseudonyms: v.array(v.object({ ref: v.string(), pseudonym: v.string() })) });

/** `POST /v1/clients/erase`: the platform's client ref, in the body (never in a URL, which logs record). */
export const EraseRequest = v.strictObject({ ref: Ref });

/** Answer of a client erasure. */
export const Erasure = v.object({ erased: v.object({ sessions: v.number() }) });
