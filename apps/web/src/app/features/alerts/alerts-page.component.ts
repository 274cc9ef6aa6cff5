import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { DETECTION_LEVELS, DETECTION_RULES, FINDING_STATUSES, type DetectionFinding, type FindingStatus } from '@velora/contracts';
import type { Observable } from 'rxjs';
import { DetectionApiService } from '../../core/api/detection-api.service';
import { AuthService } from '../../core/auth/auth.service';
import { ApiError, isApiError } from '../../core/http/api-error';
import { LanguageService } from '../../core/i18n/language.service';
import { LocalDateTimePipe } from '../../shared/pipes/local-date-time.pipe';
import { findingReason, isNumberSubject } from './detection-text';

export const FINDINGS_PAGE_SIZE = 50;

interface Filters {
  rule: string;
  level: string;
  status: string;
  subject: string;
}

/** `/alerts` (*Uyarılar*): the detection findings, newest first, with filters and the operators' actions (admins). */
@Component({
  selector: 'vl-alerts-page',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    RouterLink,
    TranslocoPipe,
    LocalDateTimePipe,
  ],
  templateUrl: './alerts-page.component.html',
  styleUrl: './alerts-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertsPageComponent implements OnInit {
  private readonly api = inject(DetectionApiService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly languageService = inject(LanguageService);
  protected readonly auth = inject(AuthService);
  protected readonly locale = this.languageService.locale;
  protected readonly rules = DETECTION_RULES;
  protected readonly levels = DETECTION_LEVELS;
  protected readonly statuses = FINDING_STATUSES;

  protected readonly filters = signal<Filters>({ rule: '', level: '', status: '', subject: '' });
  protected readonly items = signal<readonly DetectionFinding[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  /** The last action's outcome (a translation key and its subject). */
  protected readonly notice = signal<{ key: string; subject: string } | null>(null);
  protected readonly rows = computed(() => {
    const language = this.languageService.language();
    return this.items().map((finding) => ({ finding, reason: findingReason(finding, language), isNumber: isNumberSubject(finding) }));
  });

  ngOnInit(): void {
    this.load(true);
  }

  protected setFilter(key: keyof Filters, value: string): void {
    this.filters.update((f) => ({ ...f, [key]: value }));
  }

  protected applyFilters(): void {
    this.load(true);
  }

  protected loadMore(): void {
    this.load(false);
  }

  protected markSpam(finding: DetectionFinding): void {
    this.act(this.api.markSpam(finding.subject), 'detection.alerts.done.spam', finding, 'spam');
  }

  protected allowNumber(finding: DetectionFinding): void {
    this.act(this.api.allowNumber(finding.subject), 'detection.alerts.done.allowed', finding, 'allowed');
  }

  protected blockPrefix(finding: DetectionFinding): void {
    this.act(this.api.blockPrefix(finding.subject), 'detection.alerts.done.blocked', finding, null);
  }

  protected dismiss(finding: DetectionFinding): void {
    this.act(this.api.setStatus(finding.id, 'dismissed'), 'detection.alerts.done.dismissed', finding, 'dismissed');
  }

  /** Runs an action, then records the finding's new status (an action on the number also closes its finding). */
  private act(action: Observable<unknown>, doneKey: string, finding: DetectionFinding, status: FindingStatus | null): void {
    action.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: () => {
        this.notice.set({ key: doneKey, subject: finding.subject });
        if (status !== null && status !== 'dismissed') {
          this.api
            .setStatus(finding.id, status)
            .pipe(takeUntilDestroyed(this.destroyRef))
            .subscribe({
              next: (f) => {
                this.replace(f);
              },
            });
        } else if (status === 'dismissed') {
          this.replace({ ...finding, status });
        }
      },
      error: (error: unknown) => {
        this.error.set(isApiError(error) ? error : new ApiError('unexpected', 0, 'errors.unexpected', String(error)));
      },
    });
  }

  private replace(updated: DetectionFinding): void {
    this.items.update((items) => items.map((f) => (f.id === updated.id ? updated : f)));
  }

  private load(reset: boolean): void {
    const f = this.filters();
    this.loading.set(true);
    this.api
      .findings({
        rule: f.rule,
        level: f.level,
        status: f.status,
        subject: f.subject.trim(),
        cursor: reset ? null : this.nextCursor(),
        limit: FINDINGS_PAGE_SIZE,
      })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (page) => {
          this.items.update((items) => (reset ? page.items : [...items, ...page.items]));
          this.nextCursor.set(page.next_cursor);
          this.error.set(null);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(isApiError(error) ? error : new ApiError('unexpected', 0, 'errors.unexpected', String(error)));
          this.loading.set(false);
        },
      });
  }
}
