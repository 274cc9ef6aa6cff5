import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Insight, InsightNarrative, InsightSeverity } from '@velora/contracts';
import { Subject, catchError, combineLatest, filter, map, of, scan, startWith, switchMap } from 'rxjs';
import { LanguageService } from '../../../core/i18n/language.service';
import { ApiError, isApiError } from '../../../core/http/api-error';
import { pollWhileVisible } from '../../../shared/polling/poll-while-visible';
import { InsightsApiService, type InsightList } from './insights-api.service';

/** The panel re-reads the insights this often while the tab is visible (notifications will push them sooner). */
export const INSIGHTS_REFRESH_MS = 60_000;
/** Insights shown before "Show all". */
export const INSIGHTS_COLLAPSED = 4;

interface ListState {
  readonly list: InsightList | null;
  readonly error: ApiError | null;
}

type NarrativeState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly narrative: InsightNarrative }
  | { readonly status: 'failed'; readonly error: ApiError };

const SEVERITY_ICON: Readonly<Record<InsightSeverity, string>> = { critical: 'error', warning: 'warning', info: 'info' };

function toApiError(error: unknown): ApiError {
  return isApiError(error) ? error : new ApiError('unexpected', 0, 'errors.unexpected', String(error));
}

/**
 * "Insights" on the VoIP CRM page: the anomalies of the last 24 hours (most recent first), each with its message in the
 * active language and a link to exactly its calls, and — loaded only when opened — yesterday's narrative.
 * The page loads this component lazily (`@defer`).
 */
@Component({
  selector: 'vl-insights-panel',
  imports: [MatButtonModule, MatIconModule, MatTooltipModule, RouterLink, TranslocoPipe],
  templateUrl: './insights-panel.component.html',
  styleUrl: './insights-panel.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InsightsPanelComponent {
  private readonly api = inject(InsightsApiService);
  protected readonly language = inject(LanguageService).language;
  readonly locale = input.required<string>();

  private readonly refresh$ = new Subject<void>();
  protected readonly state = toSignal(
    pollWhileVisible({ intervalMs: INSIGHTS_REFRESH_MS, document: inject(DOCUMENT), restart$: this.refresh$ }).pipe(
      filter((signal) => signal.type === 'tick'),
      switchMap(() =>
        this.api.list({ limit: 50 }).pipe(
          map((list): ListState => ({ list, error: null })),
          catchError((error: unknown) => of<ListState>({ list: null, error: toApiError(error) })),
        ),
      ),
      // a failed refresh keeps the last list
      scan((previous: ListState, next: ListState): ListState => (next.list !== null ? next : { list: previous.list, error: next.error }), {
        list: null,
        error: null,
      }),
    ),
    { initialValue: null },
  );

  protected readonly expanded = signal(false);
  protected readonly items = computed<readonly Insight[]>(() => this.state()?.list?.items ?? []);
  protected readonly shown = computed(() => (this.expanded() ? this.items() : this.items().slice(0, INSIGHTS_COLLAPSED)));
  /** Not enough stored history yet: nothing can be raised. */
  protected readonly learning = computed(() => {
    const history = this.state()?.list?.history;
    return history !== undefined && history.weeks < history.required_weeks ? history : null;
  });

  protected readonly narrativeOpen = signal(false);
  protected readonly narrative = toSignal(
    combineLatest([toObservable(this.narrativeOpen), toObservable(this.language)]).pipe(
      filter(([open]) => open),
      switchMap(([, lang]) =>
        this.api.narrative(lang).pipe(
          map((narrative): NarrativeState => ({ status: 'loaded', narrative })),
          catchError((error: unknown) => of<NarrativeState>({ status: 'failed', error: toApiError(error) })),
          startWith<NarrativeState>({ status: 'loading' }),
        ),
      ),
    ),
    { initialValue: null },
  );

  protected icon(severity: InsightSeverity): string {
    return SEVERITY_ICON[severity];
  }

  protected formatNumber(value: number): string {
    return new Intl.NumberFormat(this.locale(), { maximumFractionDigits: 0 }).format(value);
  }

  protected refresh(): void {
    this.refresh$.next();
  }

  protected toggleExpanded(): void {
    this.expanded.update((value) => !value);
  }

  protected toggleNarrative(): void {
    this.narrativeOpen.update((value) => !value);
  }
}
