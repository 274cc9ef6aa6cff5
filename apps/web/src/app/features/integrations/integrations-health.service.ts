import { DOCUMENT } from '@angular/common';
import { Injectable, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Observable, Subject, catchError, combineLatest, map, of, scan, shareReplay, startWith, switchMap, throwError } from 'rxjs';
import type { IntegrationHealth, IntegrationId, IssabelStatus } from '../../core/api/api.models';
import { IntegrationsApiService } from '../../core/api/integrations-api.service';
import { CDR_REFRESH_INTERVAL_MS } from '../../core/config/cdr-refresh-interval.token';
import { type ApiError, isApiError } from '../../core/http/api-error';
import { pollWhileVisible } from '../../shared/polling/poll-while-visible';

export const INTEGRATION_IDS: readonly IntegrationId[] = ['sippy', 'issabel', 'elevenlabs'];

export interface IntegrationHealthEntry {
  /** null until the first answer. */
  readonly health: IntegrationHealth | null;
  readonly checking: boolean;
  readonly checkedAt: Date | null;
}

export type IntegrationsHealthState = Readonly<Record<IntegrationId, IntegrationHealthEntry>>;

const initialEntry: IntegrationHealthEntry = { health: null, checking: false, checkedAt: null };
export const INITIAL_INTEGRATIONS_STATE: IntegrationsHealthState = {
  sippy: initialEntry,
  issabel: initialEntry,
  elevenlabs: initialEntry,
};

/** Live PBX state for the Issabel card (`GET /api/issabel/status`). */
export interface IssabelStatusEntry {
  /** The last answer; kept while a later check fails, so the card can say how old it is. */
  readonly status: IssabelStatus | null;
  /** The last check failed (503 not configured, 502 refused, 504 timeout…); null after a success. */
  readonly error: ApiError | null;
  readonly checking: boolean;
}

export const INITIAL_ISSABEL_STATUS: IssabelStatusEntry = { status: null, error: null, checking: false };

/**
 * Polls the three health endpoints together (same clock as the live view: immediate, then every
 * `CDR_REFRESH_INTERVAL_MS`, paused while the tab is hidden). Each card keeps its last answer
 * while the next check runs.
 */
@Injectable()
export class IntegrationsHealth {
  private readonly api = inject(IntegrationsApiService);
  private readonly document = inject(DOCUMENT);
  private readonly intervalMs = inject(CDR_REFRESH_INTERVAL_MS);
  private readonly refreshRequests = new Subject<void>();
  /**
   * One clock for the health checks and the Issabel status (one timer and one visibilitychange listener, the
   * same Refresh button); a late subscriber gets the last signal at once.
   */
  private readonly clock$ = pollWhileVisible({
    intervalMs: this.intervalMs,
    document: this.document,
    restart$: this.refreshRequests,
  }).pipe(shareReplay({ bufferSize: 1, refCount: true }));

  readonly state$: Observable<IntegrationsHealthState> = this.clock$.pipe(
    switchMap((signal) =>
      signal.type === 'paused'
        ? of(null)
        : combineLatest(
            INTEGRATION_IDS.map((id) =>
              this.api.health(id).pipe(
                map((health) => ({ id, health, at: new Date() })),
                startWith({ id, health: null, at: null }),
              ),
            ),
          ),
    ),
    scan((state: IntegrationsHealthState, answers) => {
      if (answers === null) {
        // paused (tab hidden): the in-flight checks were cancelled
        return {
          sippy: { ...state.sippy, checking: false },
          issabel: { ...state.issabel, checking: false },
          elevenlabs: { ...state.elevenlabs, checking: false },
        };
      }
      const next: Record<IntegrationId, IntegrationHealthEntry> = { ...state };
      for (const { id, health, at } of answers) {
        next[id] = health === null ? { ...state[id], checking: true } : { health, checking: false, checkedAt: at };
      }
      return next;
    }, INITIAL_INTEGRATIONS_STATE),
  );

  readonly state = toSignal(this.state$, { initialValue: INITIAL_INTEGRATIONS_STATE });

  /** `GET /api/issabel/status` on the same cadence (and the same Refresh button) as the health checks. */
  readonly issabelStatus$: Observable<IssabelStatusEntry> = this.clock$.pipe(
    switchMap((signal) =>
      signal.type === 'paused'
        ? of({ kind: 'paused' as const })
        : this.api.issabelStatus().pipe(
            map((status) => ({ kind: 'ok' as const, status })),
            catchError((error: unknown) =>
              isApiError(error) ? of({ kind: 'error' as const, error }) : throwError(() => error),
            ),
            startWith({ kind: 'checking' as const }),
          ),
    ),
    scan((entry: IssabelStatusEntry, event): IssabelStatusEntry => {
      switch (event.kind) {
        case 'paused':
          return { ...entry, checking: false };
        case 'checking':
          return { ...entry, checking: true };
        case 'ok':
          return { status: event.status, error: null, checking: false };
        case 'error':
          return { status: entry.status, error: event.error, checking: false };
      }
    }, INITIAL_ISSABEL_STATUS),
  );

  readonly issabelStatus = toSignal(this.issabelStatus$, { initialValue: INITIAL_ISSABEL_STATUS });

  refreshNow(): void {
    this.refreshRequests.next();
  }
}
