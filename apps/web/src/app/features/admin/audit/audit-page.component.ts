import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AbstractControl, NonNullableFormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { Observable, Subject, catchError, distinctUntilChanged, map, of, scan, shareReplay, startWith, switchMap } from 'rxjs';
import type { AuditEntry, AuditPage } from '../../../core/api/api.models';
import { AuditApiService } from '../../../core/api/audit-api.service';
import { ApiError, isApiError } from '../../../core/http/api-error';
import { LanguageService } from '../../../core/i18n/language.service';
import { LocalDateTimePipe } from '../../../shared/pipes/local-date-time.pipe';
import {
  KNOWN_AUDIT_ACTIONS,
  AUDIT_PAGE_SIZE_OPTIONS,
  EMPTY_AUDIT_QUERY,
  type AuditFilters,
  type AuditViewQuery,
  auditActionLabelKey,
  auditActorKind,
  auditCategoryLabelKey,
  compactDetails,
  groupActions,
  parseAuditQuery,
  parseLocalMinute,
  toAuditListQuery,
  toAuditQueryParams,
} from './audit-query';

export interface AuditLogState {
  readonly rows: readonly AuditEntry[];
  readonly total: number;
  /** A request is in flight (the previous rows stay visible). */
  readonly loading: boolean;
  /** The last request failed; `rows` still hold the last good data. Cleared by the next success. */
  readonly error: ApiError | null;
  /** At least one request succeeded. */
  readonly loaded: boolean;
}

export const INITIAL_AUDIT_STATE: AuditLogState = { rows: [], total: 0, loading: false, error: null, loaded: false };

type AuditLogEvent =
  | { readonly type: 'loading' }
  | { readonly type: 'loaded'; readonly page: AuditPage }
  | { readonly type: 'failed'; readonly error: ApiError };

/** Pure reducer: a failure keeps the last data. */
export function reduceAuditLog(state: AuditLogState, event: AuditLogEvent): AuditLogState {
  switch (event.type) {
    case 'loading':
      return { ...state, loading: true };
    case 'failed':
      return { ...state, loading: false, error: event.error };
    case 'loaded':
      return { rows: event.page.rows, total: event.page.total, loading: false, error: null, loaded: true };
  }
}

/** `to` must not be before `from` (both `datetime-local` values). */
function rangeValidator(group: AbstractControl): ValidationErrors | null {
  const from = parseLocalMinute(String(group.get('from')?.value ?? ''));
  const to = parseLocalMinute(String(group.get('to')?.value ?? ''));
  return from !== null && to !== null && to.getTime() < from.getTime() ? { range: true } : null;
}

const COLUMNS = ['at', 'action', 'actor', 'target', 'ip', 'details'] as const;

/**
 * `/admin/audit` (admins): the audit log with filters in the URL query (shareable, survives a
 * reload), server-side paging and a refresh button. A failed request keeps the last rows on screen.
 */
@Component({
  selector: 'vl-audit-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
    TranslocoPipe,
    LocalDateTimePipe,
  ],
  templateUrl: './audit-page.component.html',
  styleUrl: './audit-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditPageComponent {
  private readonly api = inject(AuditApiService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly refreshRequests = new Subject<void>();
  protected readonly locale = inject(LanguageService).locale;
  protected readonly columns = COLUMNS;
  protected readonly pageSizeOptions = AUDIT_PAGE_SIZE_OPTIONS;
  protected readonly actionLabelKey = auditActionLabelKey;
  protected readonly categoryLabelKey = auditCategoryLabelKey;
  protected readonly actorKind = auditActorKind;

  private readonly query$: Observable<AuditViewQuery> = this.route.queryParamMap.pipe(
    map(parseAuditQuery),
    distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
  protected readonly query = toSignal(this.query$, { initialValue: EMPTY_AUDIT_QUERY });

  protected readonly state = toSignal(
    this.query$.pipe(
      switchMap((query) => this.refreshRequests.pipe(startWith(undefined), map(() => query))),
      switchMap((query) =>
        this.api.list(toAuditListQuery(query)).pipe(
          map((page): AuditLogEvent => ({ type: 'loaded', page })),
          startWith<AuditLogEvent>({ type: 'loading' }),
          catchError((error: unknown) => of<AuditLogEvent>({ type: 'failed', error: toApiError(error) })),
        ),
      ),
      scan(reduceAuditLog, INITIAL_AUDIT_STATE),
    ),
    { initialValue: INITIAL_AUDIT_STATE },
  );

  /** Action names for the filter (the known ones if the list cannot be loaded). */
  private readonly actions = toSignal(
    this.api.actions().pipe(catchError(() => of([...KNOWN_AUDIT_ACTIONS]))),
    { initialValue: [] as string[] },
  );
  protected readonly actionGroups = computed(() => {
    const selected = this.query().action;
    const names = this.actions();
    // an action from a shared URL that the list does not have yet still shows as selected
    return groupActions(selected !== null && !selected.endsWith('.') && !names.includes(selected) ? [...names, selected] : names);
  });

  protected readonly showEmpty = computed(() => {
    const state = this.state();
    return state.loaded && !state.loading && state.error === null && state.rows.length === 0;
  });
  /** Ids of the rows whose details are open. */
  protected readonly expanded = signal<ReadonlySet<number>>(new Set());

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      action: [null as string | null],
      actor: ['', [Validators.maxLength(320)]],
      target: ['', [Validators.maxLength(320)]],
      ip: ['', [Validators.pattern(/^[0-9A-Fa-f.:]{0,45}$/)]],
      from: [''],
      to: [''],
    },
    { validators: rangeValidator },
  );

  constructor() {
    // the form shows the view in the URL (also after back/forward)
    effect(() => {
      const query = this.query();
      this.form.reset({
        action: query.action,
        actor: query.actor ?? '',
        target: query.target ?? '',
        ip: query.ip ?? '',
        from: query.from ?? '',
        to: query.to ?? '',
      });
    });
  }

  protected applyFilters(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const value = this.form.getRawValue();
    const text = (v: string): string | null => (v.trim() === '' ? null : v.trim());
    const filters: AuditFilters = {
      action: value.action,
      actor: text(value.actor),
      target: text(value.target),
      ip: text(value.ip),
      from: text(value.from),
      to: text(value.to),
    };
    this.navigate({ ...this.query(), ...filters, page: 1 });
  }

  protected clearFilters(): void {
    this.navigate({ ...EMPTY_AUDIT_QUERY, size: this.query().size });
  }

  protected changePage(event: PageEvent): void {
    this.navigate({ ...this.query(), page: event.pageIndex + 1, size: event.pageSize });
  }

  protected refreshNow(): void {
    this.refreshRequests.next();
  }

  protected toggleDetails(entry: AuditEntry): void {
    this.expanded.update((ids) => {
      const next = new Set(ids);
      if (!next.delete(entry.id)) next.add(entry.id);
      return next;
    });
  }

  protected hasDetails(entry: AuditEntry): boolean {
    return Object.keys(entry.details).length > 0;
  }

  protected compact(entry: AuditEntry): string {
    return compactDetails(entry.details);
  }

  protected json(entry: AuditEntry): string {
    return JSON.stringify(entry.details, null, 2);
  }

  protected readonly trackEntry = (_index: number, entry: AuditEntry): number => entry.id;

  private navigate(query: AuditViewQuery): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: toAuditQueryParams(query) });
  }
}

function toApiError(error: unknown): ApiError {
  return isApiError(error)
    ? error
    : new ApiError('unexpected', 0, 'errors.unexpected', error instanceof Error ? error.message : String(error));
}
