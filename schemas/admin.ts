import * as v from 'valibot';
import { Ref } from './common.ts';

/** A calendar day as YYYY-MM-DD (UTC). */
export const IsoDate = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'));

/** Query of `GET /v1/reports/{therapists,weeks}`; the range is widened to whole ISO weeks (default: 13 weeks). */
export const ReportQuery = v.object({
  from: v.optional(IsoDate),
  to: v.optional(IsoDate),
  format: v.optional(v.picklist(['json', 'csv'])),
  /**
   * The instrument (id) whose mean total the report gives; one the platform registered, else 422
   * `unknown_instrument`. Default: the instrument with the most rated sessions in the range's published week totals.
   * Totals of different instruments are on different scales and are never averaged together.
   */
  instrument: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
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
  /** Rated sessions on the report's instrument (a part of `sessions`); null when not published. */
  instrumentSessions: v.nullable(v.number()),
  /** Mean rated total on the report's instrument only (its scale: 0..`instrument.maxTotal`). */
  meanTotal: Measure,
  flaggedShare: Measure,
  /** Rated / asked. */
  completionRate: Measure,
  /** Over sessions with pacing; suppressed on its own count. */
  meanTherapistShare: Measure,
  /** The session measures (sessions, asked, flagged share, completion) are suppressed. */
  suppressed: v.boolean(),
  /**
   * `instrumentSessions` and `meanTotal` are not published: too few sessions or clients on the instrument (or the
   * whole cell suppressed), hidden with a small part on another instrument (the sessions less this part, or the
   * reports on two instruments side by side, would give it), none at all, or only in weeks frozen before reports were
   * split by instrument.
   */
  meanTotalSuppressed: v.boolean(),
  talkShareSuppressed: v.boolean(),
});
export type ReportRow = v.InferOutput<typeof ReportRow>;

/**
 * The instrument (id and version) of a report's mean totals, and its highest total (null when the platform no longer
 * keeps that version).
 */
export const ReportInstrument = v.object({ id: v.string(), version: v.number(), maxTotal: v.nullable(v.number()) });
export type ReportInstrument = v.InferOutput<typeof ReportInstrument>;

/** A de-identified report: small cells (and the complementary cells that would reveal them) are null. */
export const Report = v.object({
  report: v.picklist(['therapists', 'weeks']),
  from: IsoDate,
  to: IsoDate,
  /** The mean totals are of sessions rated on this instrument only; every other measure is over all instruments. */
  instrument: ReportInstrument,
  /**
   * Weeks (their Mondays) in the range with published sessions that were frozen before reports were split by instrument
   * (migration 0015): their totals were frozen summed over every instrument, so they add nothing to a mean total;
   * their other measures are published as frozen.
   */
  weeksWithoutInstrument: v.array(IsoDate),
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
