import type { ParamMap, Params } from '@angular/router';
import { SAVED_VIEW_QUERY_PARAM, type SavedView } from '@velora/contracts';
import { filterText, type SavedViewState } from '../../shared/saved-views/saved-view-state';
import { isDay, isTimeZone, shiftDay, todayIn, zonedMidnight } from '../../shared/time-zone/time-zone';
import {
  BREAKDOWN_DIMENSIONS,
  REPORT_BUCKETS,
  TOP_METRICS,
  TOP_SUBJECTS,
  type BreakdownDimension,
  type ReportBucket,
  type ReportRange,
  type TopMetric,
  type TopSubject,
} from './reports.models';

export { isTimeZone, offsetMinutes, shiftDay, todayIn, zonedMidnight } from '../../shared/time-zone/time-zone';

/**
 * The reports view as kept in the URL: `/reports?from=2026-11-18&to=2026-11-24&tz=Europe/Istanbul&bucket=day`
 * (`&breakdown=trunk&top=callee&metric=cost` when the tables are not on their defaults). `from`/`to` are calendar
 * days in `tz`, both inclusive. Invalid values fall back to the defaults.
 */
export interface ReportViewQuery {
  readonly from: string;
  readonly to: string;
  readonly tz: string;
  readonly bucket: ReportBucket;
  /** Dimension of the breakdown table (the causes have their own chart). */
  readonly breakdown: Exclude<BreakdownDimension, 'cause'>;
  /** Subject and metric of the top list. */
  readonly top: TopSubject;
  readonly metric: TopMetric;
  /** The URL named the range: a saved view keeps it (otherwise the view always shows the last days). */
  readonly explicitRange: boolean;
}

export const DEFAULT_BREAKDOWN: ReportViewQuery['breakdown'] = 'account';
export const DEFAULT_TOP: TopSubject = 'caller';
export const DEFAULT_TOP_METRIC: TopMetric = 'calls';
const TABLE_DIMENSIONS = BREAKDOWN_DIMENSIONS.filter((d): d is ReportViewQuery['breakdown'] => d !== 'cause');

export const DEFAULT_REPORT_TZ = 'Europe/Istanbul';
export const REPORT_TZ_STORAGE_KEY = 'velora.reports.tz';
/** Days shown by default, today included. */
export const DEFAULT_REPORT_DAYS = 7;

/** Zones offered in the picker; the viewer's own and the stored one are added when missing. */
export const COMMON_TIME_ZONES = [
  'Europe/Istanbul',
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Moscow',
  'Asia/Dubai',
  'Asia/Kolkata',
  'America/New_York',
] as const;

/** The stored zone if valid, else Istanbul. */
export function storedTimeZone(storage: Pick<Storage, 'getItem'> | null): string {
  try {
    const value = storage?.getItem(REPORT_TZ_STORAGE_KEY) ?? null;
    return value !== null && isTimeZone(value) ? value : DEFAULT_REPORT_TZ;
  } catch {
    return DEFAULT_REPORT_TZ;
  }
}

/** Parses the URL; missing or invalid values get defaults (last 7 days in the stored zone, daily buckets). */
export function parseReportQuery(params: ParamMap, now: Date, fallbackTz: string): ReportViewQuery {
  const tzParam = params.get('tz');
  const tz = tzParam !== null && isTimeZone(tzParam) ? tzParam : fallbackTz;
  const today = todayIn(tz, now);
  const fromParam = params.get('from');
  const toParam = params.get('to');
  let to = toParam !== null && isDay(toParam) ? toParam : today;
  let from = fromParam !== null && isDay(fromParam) ? fromParam : shiftDay(to, -(DEFAULT_REPORT_DAYS - 1));
  if (from > to) {
    [from, to] = [to, from];
  }
  const bucketParam = params.get('bucket');
  const bucket = (REPORT_BUCKETS as readonly string[]).includes(bucketParam ?? '')
    ? (bucketParam as ReportBucket)
    : from === to
      ? 'hour'
      : 'day';
  const pick = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const value = params.get(name);
    return value !== null && (values as readonly string[]).includes(value) ? (value as T) : fallback;
  };
  return {
    from,
    to,
    tz,
    bucket,
    breakdown: pick('breakdown', TABLE_DIMENSIONS, DEFAULT_BREAKDOWN),
    top: pick('top', TOP_SUBJECTS, DEFAULT_TOP),
    metric: pick('metric', TOP_METRICS, DEFAULT_TOP_METRIC),
    explicitRange: fromParam !== null && isDay(fromParam) && toParam !== null && isDay(toParam),
  };
}

/** Router query params of a reports view; the tables' defaults are left out so URLs stay short. */
export function toReportQueryParams(query: ReportViewQuery): Params {
  return {
    from: query.from,
    to: query.to,
    tz: query.tz,
    bucket: query.bucket,
    breakdown: query.breakdown === DEFAULT_BREAKDOWN ? null : query.breakdown,
    top: query.top === DEFAULT_TOP ? null : query.top,
    metric: query.metric === DEFAULT_TOP_METRIC ? null : query.metric,
  };
}

/** The API range: `[midnight of from, midnight after to)` in the zone. */
export function toReportRange(query: ReportViewQuery): ReportRange {
  return {
    from: zonedMidnight(query.from, query.tz).toISOString(),
    to: zonedMidnight(query.to, query.tz, 1).toISOString(),
    tz: query.tz,
  };
}

/** The reports view as a saved view keeps it: bucket and tables (defaults left out), the range if the URL named it. */
export function reportViewState(query: ReportViewQuery): SavedViewState {
  const { from, to, tz, bucket, breakdown, top, metric } = toReportQueryParams(query) as Record<string, string | null>;
  const settings = Object.entries({ bucket, breakdown, top, metric }).filter((entry): entry is [string, string] => entry[1] !== null);
  return {
    filters: Object.fromEntries(settings),
    dates: query.explicitRange && from !== null && to !== null ? { from, to } : null,
    columns: [],
    timeZone: tz ?? query.tz,
  };
}

/** Router query params that show a saved reports view (without a range: the last days). */
export function reportViewParams(view: SavedView): Params {
  return {
    from: filterText(view, 'from'),
    to: filterText(view, 'to'),
    tz: view.time_zone,
    bucket: filterText(view, 'bucket'),
    breakdown: filterText(view, 'breakdown'),
    top: filterText(view, 'top'),
    metric: filterText(view, 'metric'),
    [SAVED_VIEW_QUERY_PARAM]: null,
  };
}
