import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  DETECTION_MODES,
  type DetectionBacktestResult,
  type DetectionMode,
  type DetectionRule,
  type DetectionRuleId,
  type DetectionRuleThresholds,
} from '@velora/contracts';
import { DetectionApiService } from '../../core/api/detection-api.service';
import { ApiError, isApiError } from '../../core/http/api-error';
import { LanguageService } from '../../core/i18n/language.service';
import { findingReason } from './detection-text';

const DAY_MS = 86_400_000;
type NumericField = 'window_seconds' | 'warn' | 'crit' | 'min_sample' | 'cooldown_seconds';

/** `/alerts/rules` (admins): each rule's thresholds and mode, saved or first tried on history (backtest). */
@Component({
  selector: 'vl-rules-page',
  imports: [MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatProgressBarModule, RouterLink, TranslocoPipe],
  templateUrl: './rules-page.component.html',
  styleUrl: './alerts-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RulesPageComponent implements OnInit {
  private readonly api = inject(DetectionApiService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly languageService = inject(LanguageService);
  protected readonly modes = DETECTION_MODES;
  protected readonly numericFields: readonly NumericField[] = ['window_seconds', 'warn', 'crit', 'min_sample', 'cooldown_seconds'];

  protected readonly rules = signal<readonly DetectionRule[]>([]);
  /** Unsaved edits per rule. */
  protected readonly drafts = signal<Readonly<Partial<Record<DetectionRuleId, Partial<DetectionRuleThresholds>>>>>({});
  protected readonly loading = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly saved = signal<DetectionRuleId | null>(null);
  protected readonly range = signal({ from: isoDate(Date.now() - 7 * DAY_MS), to: isoDate(Date.now() + DAY_MS) });
  protected readonly backtest = signal<DetectionBacktestResult | null>(null);
  protected readonly languageIsTr = computed(() => this.languageService.language() === 'tr');
  protected readonly backtestReasons = computed(() => {
    const result = this.backtest();
    const language = this.languageService.language();
    return result === null ? [] : result.findings.slice(0, 20).map((f) => ({ ...f, reason: findingReason(f, language) }));
  });

  ngOnInit(): void {
    this.loading.set(true);
    this.api
      .rules()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (rules) => {
          this.rules.set(rules);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.fail(error);
        },
      });
  }

  protected value<K extends keyof DetectionRuleThresholds>(rule: DetectionRule, key: K): DetectionRuleThresholds[K] {
    return this.drafts()[rule.rule]?.[key] ?? rule[key];
  }

  protected setNumber(rule: DetectionRule, key: NumericField, text: string): void {
    this.edit(rule, { [key]: Number(text) });
  }

  protected setMode(rule: DetectionRule, mode: string): void {
    if ((DETECTION_MODES as readonly string[]).includes(mode)) this.edit(rule, { mode: mode as DetectionMode });
  }

  protected setEnabled(rule: DetectionRule, enabled: boolean): void {
    this.edit(rule, { enabled });
  }

  protected setRange(key: 'from' | 'to', value: string): void {
    this.range.update((r) => ({ ...r, [key]: value }));
  }

  protected save(rule: DetectionRule): void {
    const draft = this.drafts()[rule.rule] ?? {};
    this.api
      .updateRule(rule.rule, draft)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.rules.update((rules) => rules.map((r) => (r.rule === updated.rule ? updated : r)));
          this.drafts.update((d) => ({ ...d, [rule.rule]: undefined }));
          this.saved.set(rule.rule);
          this.error.set(null);
        },
        error: (error: unknown) => {
          this.fail(error);
        },
      });
  }

  protected runBacktest(rule: DetectionRule): void {
    const { from, to } = this.range();
    this.loading.set(true);
    this.api
      .backtest(
        rule.rule,
        new Date(`${from}T00:00:00`).toISOString(),
        new Date(`${to}T00:00:00`).toISOString(),
        this.drafts()[rule.rule] ?? {},
      )
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          this.backtest.set(result);
          this.error.set(null);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.fail(error);
        },
      });
  }

  private edit(rule: DetectionRule, patch: Partial<DetectionRuleThresholds>): void {
    this.saved.set(null);
    this.drafts.update((d) => ({ ...d, [rule.rule]: { ...d[rule.rule], ...patch } }));
  }

  private fail(error: unknown): void {
    this.error.set(isApiError(error) ? error : new ApiError('unexpected', 0, 'errors.unexpected', String(error)));
    this.loading.set(false);
  }
}

function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getFullYear())}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
