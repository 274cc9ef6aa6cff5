import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { DetectionNumberSummary } from '@velora/contracts';
import { catchError, combineLatest, map, of, startWith, switchMap, type Observable } from 'rxjs';
import type { Cdr, CdrPage } from '../../core/api/api.models';
import { CdrApiService } from '../../core/api/cdr-api.service';
import { DetectionApiService } from '../../core/api/detection-api.service';
import { AuthService } from '../../core/auth/auth.service';
import { ApiError, isApiError } from '../../core/http/api-error';
import { LanguageService } from '../../core/i18n/language.service';
import { DurationPipe } from '../../shared/pipes/duration.pipe';
import { LocalDateTimePipe } from '../../shared/pipes/local-date-time.pipe';
import { PhoneNumberPipe } from '../../shared/pipes/phone-number.pipe';
import { StatusChipComponent } from '../../shared/status-chip/status-chip.component';
import { findingReason } from '../alerts/detection-text';
import { numberStats } from './number-stats';

/** Calls of each direction shown (and measured) on the page. */
export const NUMBER_PAGE_CALLS = 100;

interface NumberData {
  loading: boolean;
  error: ApiError | null;
  from: CdrPage | null;
  to: CdrPage | null;
  summary: DetectionNumberSummary | null;
}

const LOADING: NumberData = { loading: true, error: null, from: null, to: null, summary: null };

/**
 * `/numbers/:number`: one number's 360° view for an agent on the phone — its latest calls from and to it (the CDR
 * list API), totals, ASR, countries, its findings and marks, and the admins' actions.
 */
@Component({
  selector: 'vl-number-page',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    TranslocoPipe,
    DurationPipe,
    LocalDateTimePipe,
    PhoneNumberPipe,
    StatusChipComponent,
  ],
  templateUrl: './number-page.component.html',
  styleUrl: './number-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NumberPageComponent {
  private readonly cdrs = inject(CdrApiService);
  private readonly detection = inject(DetectionApiService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly languageService = inject(LanguageService);
  protected readonly auth = inject(AuthService);
  protected readonly locale = this.languageService.locale;
  private readonly reload = signal(0);
  protected readonly notice = signal<string | null>(null);
  protected readonly actionError = signal<ApiError | null>(null);

  protected readonly number = toSignal(inject(ActivatedRoute).paramMap.pipe(map((p) => p.get('number') ?? '')), { initialValue: '' });

  protected readonly data = toSignal(
    combineLatest([inject(ActivatedRoute).paramMap.pipe(map((p) => p.get('number') ?? '')), toObservable(this.reload)]).pipe(
      switchMap(([number]) =>
        combineLatest([
          this.cdrs.list({ limit: NUMBER_PAGE_CALLS, offset: 0, caller: number }),
          this.cdrs.list({ limit: NUMBER_PAGE_CALLS, offset: 0, callee: number }),
          this.detection.number(number),
        ]).pipe(
          map(([from, to, summary]): NumberData => ({ loading: false, error: null, from, to, summary })),
          catchError((error: unknown) => of<NumberData>({ ...LOADING, loading: false, error: toApiError(error) })),
          startWith(LOADING),
        ),
      ),
    ),
    { initialValue: LOADING },
  );

  /** Calls from and to the number, newest first (a call to itself once). */
  protected readonly calls = computed((): Cdr[] => {
    const d = this.data();
    const byId = new Map<string, Cdr>();
    for (const row of [...(d.from?.rows ?? []), ...(d.to?.rows ?? [])]) byId.set(row.id, row);
    return [...byId.values()].sort((a, b) => (b.start_time ?? '').localeCompare(a.start_time ?? ''));
  });
  protected readonly stats = computed(() => numberStats(this.calls()));
  protected readonly findings = computed(() => {
    const language = this.languageService.language();
    return (this.data().summary?.findings ?? []).map((f) => ({ ...f, reason: findingReason(f, language) }));
  });

  protected markSpam(): void {
    this.act(this.detection.markSpam(this.number()), 'detection.number.done.spam');
  }

  protected allow(): void {
    this.act(this.detection.allowNumber(this.number()), 'detection.number.done.allowed');
  }

  private act(action: Observable<unknown>, doneKey: string): void {
    action.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: () => {
        this.notice.set(doneKey);
        this.actionError.set(null);
        this.reload.update((n) => n + 1);
      },
      error: (error: unknown) => {
        this.actionError.set(toApiError(error));
      },
    });
  }
}

function toApiError(error: unknown): ApiError {
  return isApiError(error) ? error : new ApiError('unexpected', 0, 'errors.unexpected', String(error));
}
