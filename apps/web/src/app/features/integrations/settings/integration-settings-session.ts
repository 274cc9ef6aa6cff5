import { DestroyRef, signal } from '@angular/core';
import type { ConfigurableIntegration, IntegrationSettingsViews, IntegrationTestResult } from '@velora/contracts';
import type { Observable, Subscription } from 'rxjs';
import {
  IntegrationSettingsApiService,
  type IntegrationSettingsInputs,
  rejectedTest,
} from '../../../core/api/integration-settings-api.service';
import { ApiError, isApiError } from '../../../core/http/api-error';

/** What the last action of a settings form came to. */
export type SettingsOutcome =
  | { readonly kind: 'tested'; readonly result: IntegrationTestResult }
  | { readonly kind: 'saved'; readonly result: IntegrationTestResult }
  /** 422: the API tested before saving and the test failed; nothing was saved. */
  | { readonly kind: 'rejected'; readonly result: IntegrationTestResult }
  | { readonly kind: 'cleared' }
  | { readonly kind: 'error'; readonly error: ApiError };

export type SettingsBusy = 'testing' | 'saving' | 'clearing' | null;

/**
 * The state of one integration's settings form: the view in force (GET), and test / save / clear with one request
 * at a time. Created by each form component (its lifetime is the component's).
 */
export class IntegrationSettingsSession<I extends ConfigurableIntegration> {
  readonly view = signal<IntegrationSettingsViews[I] | null>(null);
  readonly loadError = signal<ApiError | null>(null);
  readonly busy = signal<SettingsBusy>(null);
  readonly outcome = signal<SettingsOutcome | null>(null);
  private loading: Subscription | null = null;
  private pending: Subscription | null = null;

  constructor(
    private readonly api: IntegrationSettingsApiService,
    private readonly integration: I,
    destroyRef: DestroyRef,
    /** Told after a save or a clear (the page refreshes the health cards). */
    private readonly changed: (view: IntegrationSettingsViews[I]) => void,
  ) {
    destroyRef.onDestroy(() => {
      this.loading?.unsubscribe();
      this.pending?.unsubscribe();
    });
  }

  load(): void {
    this.loading?.unsubscribe();
    this.loading = this.api.get(this.integration).subscribe({
      next: (view) => {
        this.view.set(view);
        this.loadError.set(null);
      },
      error: (error: unknown) => {
        this.loadError.set(toApiError(error));
      },
    });
  }

  test(input: IntegrationSettingsInputs[I]): void {
    this.run('testing', this.api.test(this.integration, input), (result) => {
      this.outcome.set({ kind: 'tested', result });
    });
  }

  save(input: IntegrationSettingsInputs[I]): void {
    this.run('saving', this.api.save(this.integration, input), ({ settings, test }) => {
      this.view.set(settings);
      this.outcome.set({ kind: 'saved', result: test });
      this.changed(settings);
    });
  }

  clear(): void {
    this.run('clearing', this.api.clear(this.integration), (view) => {
      this.view.set(view);
      this.outcome.set({ kind: 'cleared' });
      this.changed(view);
    });
  }

  private run<T>(busy: Exclude<SettingsBusy, null>, request: Observable<T>, done: (value: T) => void): void {
    if (this.busy() !== null) return;
    this.busy.set(busy);
    this.outcome.set(null);
    this.pending?.unsubscribe();
    this.pending = request.subscribe({
      next: (value) => {
        this.busy.set(null);
        done(value);
      },
      error: (error: unknown) => {
        this.busy.set(null);
        const apiError = toApiError(error);
        const refused = rejectedTest(apiError);
        this.outcome.set(refused !== null ? { kind: 'rejected', result: refused } : { kind: 'error', error: apiError });
      },
    });
  }
}

function toApiError(error: unknown): ApiError {
  return isApiError(error) ? error : new ApiError('unexpected', 0, 'errors.unexpected', String(error));
}
