import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { catchError, map, of, startWith } from 'rxjs';
import type { CdrDetail } from '../../../core/api/api.models';
import { CdrApiService } from '../../../core/api/cdr-api.service';
import { ApiError, isApiError } from '../../../core/http/api-error';
import { countryName } from '../../../shared/pipes/country-name.pipe';
import { formatDuration } from '../../../shared/pipes/duration.pipe';
import { LocalDateTimePipe } from '../../../shared/pipes/local-date-time.pipe';

/** What the side sheet is opened with. */
export interface CdrDetailSheetData {
  readonly id: string;
  readonly locale: string;
  /** IANA zone of the times shown; null = the browser's. */
  readonly timeZone: string | null;
}

type FieldKind = 'text' | 'time' | 'seconds' | 'delay' | 'direction' | 'status' | 'country' | 'cost';

interface FieldSpec {
  readonly key: keyof CdrDetail;
  readonly kind: FieldKind;
}

/** Every stored field, grouped as the sheet shows them (labels: `cdr.fields.<key>`). */
export const CDR_DETAIL_GROUPS: readonly { readonly titleKey: string; readonly fields: readonly FieldSpec[] }[] = [
  {
    titleKey: 'cdrDetail.groups.call',
    fields: [
      { key: 'caller', kind: 'text' },
      { key: 'callee', kind: 'text' },
      { key: 'direction', kind: 'direction' },
      { key: 'status', kind: 'status' },
      { key: 'result', kind: 'text' },
      { key: 'sip_code', kind: 'text' },
      { key: 'disconnect_reason', kind: 'text' },
      { key: 'release_source', kind: 'text' },
    ],
  },
  {
    titleKey: 'cdrDetail.groups.times',
    fields: [
      { key: 'setup_time', kind: 'time' },
      { key: 'start_time', kind: 'time' },
      { key: 'end_time', kind: 'time' },
      { key: 'pdd', kind: 'delay' },
      { key: 'duration', kind: 'seconds' },
      { key: 'billed_duration', kind: 'seconds' },
    ],
  },
  {
    titleKey: 'cdrDetail.groups.route',
    fields: [
      { key: 'country', kind: 'country' },
      { key: 'country_code', kind: 'text' },
      { key: 'city', kind: 'text' },
      { key: 'account', kind: 'text' },
      { key: 'trunk', kind: 'text' },
      { key: 'remote_ip', kind: 'text' },
      { key: 'codec', kind: 'text' },
    ],
  },
  {
    titleKey: 'cdrDetail.groups.cost',
    fields: [
      { key: 'cost', kind: 'cost' },
      { key: 'currency', kind: 'text' },
    ],
  },
  {
    titleKey: 'cdrDetail.groups.record',
    fields: [
      { key: 'id', kind: 'text' },
      { key: 'call_id', kind: 'text' },
      { key: 'source', kind: 'text' },
      { key: 'first_seen_at', kind: 'time' },
      { key: 'updated_at', kind: 'time' },
    ],
  },
];

type SheetState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly error: ApiError }
  | { readonly kind: 'ready'; readonly cdr: CdrDetail };

/**
 * The CDR detail side sheet: every stored field labelled in the UI language and, for admins (the API sends `raw`
 * only to them), the switch's raw record in a collapsible block. Opened by the live view for `?cdr=<id>`.
 */
@Component({
  selector: 'vl-cdr-detail-sheet',
  imports: [MatDialogModule, MatButtonModule, MatIconModule, MatProgressBarModule, TranslocoPipe, LocalDateTimePipe],
  templateUrl: './cdr-detail-sheet.component.html',
  styleUrl: './cdr-detail-sheet.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CdrDetailSheetComponent {
  protected readonly data = inject<CdrDetailSheetData>(MAT_DIALOG_DATA);
  protected readonly groups = CDR_DETAIL_GROUPS;
  protected readonly state = toSignal(
    inject(CdrApiService)
      .detail(this.data.id)
      .pipe(
        map((cdr): SheetState => ({ kind: 'ready', cdr })),
        catchError((error: unknown) =>
          of<SheetState>({
            kind: 'error',
            error: isApiError(error) ? error : new ApiError('unexpected', 0, 'errors.unexpected', String(error)),
          }),
        ),
        startWith<SheetState>({ kind: 'loading' }),
      ),
    { initialValue: { kind: 'loading' } },
  );

  protected text(cdr: CdrDetail, field: FieldSpec): string | null {
    const value = cdr[field.key];
    if (value === null || value === undefined || typeof value === 'object') return null;
    switch (field.kind) {
      case 'seconds':
        return typeof value === 'number' ? `${formatDuration(value)} (${String(value)} s)` : value;
      case 'delay':
        return typeof value === 'number' ? `${new Intl.NumberFormat(this.data.locale, { maximumFractionDigits: 3 }).format(value)} s` : value;
      case 'country':
        return countryName(cdr.country_code, cdr.country, this.data.locale);
      case 'cost':
        return typeof value === 'number'
          ? new Intl.NumberFormat(this.data.locale, { maximumFractionDigits: 6 }).format(value) + (cdr.currency === null ? '' : ` ${cdr.currency}`)
          : value;
      default:
        return String(value);
    }
  }

  protected timeOf(cdr: CdrDetail, field: FieldSpec): string | null {
    const value = cdr[field.key];
    return typeof value === 'string' ? value : null;
  }

  protected rawJson(cdr: CdrDetail): string | null {
    return cdr.raw === undefined ? null : JSON.stringify(cdr.raw, null, 2);
  }
}
