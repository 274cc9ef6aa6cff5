import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTabsModule } from '@angular/material/tabs';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { ReconcileRun, ReconcileWindow } from '@velora/contracts';
import { Subject, catchError, combineLatest, map, of, startWith, switchMap } from 'rxjs';
import { AuthService } from '../../../core/auth/auth.service';
import { ApiError, isApiError } from '../../../core/http/api-error';
import { LanguageService } from '../../../core/i18n/language.service';
import { formatLocalDateTime } from '../../../shared/pipes/local-date-time.pipe';
import { ReconcileApiService } from '../reconcile-api.service';
import { COMMON_TIME_ZONES, REPORT_TZ_STORAGE_KEY, parseReportQuery, storedTimeZone, type ReportViewQuery } from '../report-query';
import { REPORT_TABS } from '../report-tabs';
import { completenessDays, hoursOfDays, type CompletenessDay } from './completeness';

interface Checks {
  readonly windows: readonly ReconcileWindow[] | null;
  readonly loading: boolean;
  readonly error: ApiError | null;
}

/**
 * `/reports/completeness`: is the copy of the switch complete? Each day of the range in the chosen zone is
 * complete / healed N / failed / partly or not checked, with when it was last checked; its hours fold out. Admins
 * can reconcile a day now (POST /api/sippy/reconcile); the nightly job checks yesterday (docs/reports.md).
 */
@Component({
  selector: 'vl-completeness-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    TranslocoPipe,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTabsModule,
  ],
  templateUrl: './completeness-page.component.html',
  styleUrl: './completeness-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CompletenessPageComponent {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly api = inject(ReconcileApiService);
  private readonly languageService = inject(LanguageService);
  private readonly document = inject(DOCUMENT);
  private readonly storage: Storage | null = this.document.defaultView?.localStorage ?? null;
  protected readonly isAdmin = inject(AuthService).isAdmin;

  protected readonly tabs = REPORT_TABS;
  protected readonly activeTab = '/reports/completeness';
  protected readonly query = toSignal(
    this.route.queryParamMap.pipe(map((params) => parseReportQuery(params, new Date(), storedTimeZone(this.storage)))),
    { requireSync: true },
  );
  protected readonly tabParams = computed(() => ({ from: this.query().from, to: this.query().to, tz: this.query().tz }));
  protected readonly timeZones = computed(() => {
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return [...new Set<string>([...COMMON_TIME_ZONES, own, this.query().tz])];
  });
  protected readonly form = inject(NonNullableFormBuilder).group({ from: [''], to: [''], tz: [''] });

  private readonly reload$ = new Subject<void>();
  protected readonly checks = toSignal(
    combineLatest([this.route.queryParamMap, this.reload$.pipe(startWith(undefined))]).pipe(
      switchMap(() => {
        const q = this.query();
        const range = hoursOfDays(q.from, q.to, q.tz);
        return this.api.list(range.from, range.to).pipe(
          map((windows): Checks => ({ windows, loading: false, error: null })),
          catchError((e: unknown) => of<Checks>({ windows: null, loading: false, error: isApiError(e) ? e : null })),
          startWith<Checks>({ windows: null, loading: true, error: null }),
        );
      }),
    ),
    { initialValue: { windows: null, loading: true, error: null } satisfies Checks },
  );
  /** The last list that loaded stays on screen while the next one loads. */
  private readonly lastWindows = signal<readonly ReconcileWindow[]>([]);
  protected readonly days = computed((): CompletenessDay[] => {
    const q = this.query();
    return completenessDays(q.from, q.to, q.tz, this.checks().windows ?? this.lastWindows(), Date.now());
  });

  /** The day being reconciled now, its outcome and a refused request. */
  protected readonly running = signal<string | null>(null);
  protected readonly lastRun = signal<{ readonly day: string; readonly run: ReconcileRun } | null>(null);
  protected readonly runError = signal<ApiError | null>(null);

  constructor() {
    effect(() => {
      const q = this.query();
      untracked(() => {
        this.form.setValue({ from: q.from, to: q.to, tz: q.tz });
      });
    });
    effect(() => {
      const windows = this.checks().windows;
      if (windows !== null) {
        untracked(() => {
          this.lastWindows.set(windows);
        });
      }
    });
  }

  protected applyRange(): void {
    const v = this.form.getRawValue();
    const q = this.query();
    const next: Pick<ReportViewQuery, 'from' | 'to' | 'tz'> = { from: v.from || q.from, to: v.to || q.to, tz: v.tz };
    try {
      this.storage?.setItem(REPORT_TZ_STORAGE_KEY, next.tz);
    } catch {
      // storage full or blocked: the zone still travels in the URL
    }
    void this.router.navigate([], { relativeTo: this.route, queryParams: next });
  }

  /** Re-reads the day's closed hours from the switch and heals what is missing (admin). */
  protected reconcileDay(day: CompletenessDay): void {
    if (day.reconcile === null || this.running() !== null) return;
    this.running.set(day.day);
    this.runError.set(null);
    this.api.run(day.reconcile.from, day.reconcile.to).subscribe({
      next: (run) => {
        this.running.set(null);
        this.lastRun.set({ day: day.day, run });
        this.reload$.next();
      },
      error: (e: unknown) => {
        this.running.set(null);
        this.runError.set(isApiError(e) ? e : null);
        this.reload$.next();
      },
    });
  }

  protected statusIcon(day: CompletenessDay): string {
    switch (day.status) {
      case 'complete':
      case 'healed':
        return 'check_circle';
      case 'failed':
        return 'error';
      case 'partial':
        return 'warning';
      case 'unchecked':
      case 'open':
        return 'help';
    }
  }

  protected dateTime(iso: string | null): string {
    return formatLocalDateTime(iso, this.languageService.locale(), 'datetime', this.query().tz);
  }

  protected dayLabel(day: string): string {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Intl.DateTimeFormat(this.languageService.locale(), {
      weekday: 'short',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(Date.UTC(y, m - 1, d)));
  }

  protected hourLabel(start: number, end: number): string {
    const format = new Intl.DateTimeFormat(this.languageService.locale(), {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: this.query().tz,
    });
    return `${format.format(new Date(start))}–${format.format(new Date(end))}`;
  }

  protected formatNumber(value: number): string {
    return new Intl.NumberFormat(this.languageService.locale()).format(value);
  }
}
