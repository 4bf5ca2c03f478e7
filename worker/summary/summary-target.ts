import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import type { SummaryTarget } from './load-summary.ts';
import { askSettingFor, trendSettingsFor } from '../admin/platform-settings.ts';

/** The verified token's session, hashed, with the platform's trend window and feedback-fatigue setting. */
export function summaryTargetOf(c: Context<AppEnv>): SummaryTarget {
  const { sid, tid, cid } = c.var.refs;
  const trend = trendSettingsFor(c.var.platform.settings);
  return {
    platformId: c.var.platform.id,
    sidHash: sid,
    therapistHash: tid,
    clientHash: cid,
    instrumentId: c.var.instrument.id,
    instrumentVersion: c.var.instrument.version,
    trendDays: trend.days,
    trendPoints: trend.points,
    ask: askSettingFor(c.var.platform.settings),
  };
}
