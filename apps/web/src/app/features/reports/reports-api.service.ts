import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import { API_BASE_URL } from '../../core/config/api-base-url.token';
import type {
  BreakdownDimension,
  BreakdownReport,
  CompareReport,
  ReportBucket,
  ReportRange,
  TimeseriesReport,
  TopMetric,
  TopReport,
  TopSubject,
} from './reports.models';

/** Typed access to /api/reports. Errors arrive as `ApiError`. */
@Injectable({ providedIn: 'root' })
export class ReportsApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  compare(range: ReportRange): Observable<CompareReport> {
    return this.get<CompareReport>('compare', range, {});
  }

  timeseries(range: ReportRange, bucket: ReportBucket): Observable<TimeseriesReport> {
    return this.get<TimeseriesReport>('timeseries', range, { bucket });
  }

  breakdown(range: ReportRange, by: BreakdownDimension, limit = 20): Observable<BreakdownReport> {
    return this.get<BreakdownReport>('breakdown', range, { by, limit: String(limit) });
  }

  top(range: ReportRange, by: TopSubject, metric: TopMetric, limit = 10): Observable<TopReport> {
    return this.get<TopReport>('top', range, { by, metric, limit: String(limit) });
  }

  private get<T>(path: string, range: ReportRange, extra: Readonly<Record<string, string>>): Observable<T> {
    const params = new HttpParams({ fromObject: { from: range.from, to: range.to, tz: range.tz, ...extra } });
    return this.http.get<T>(`${this.baseUrl}/api/reports/${path}`, { params });
  }
}
