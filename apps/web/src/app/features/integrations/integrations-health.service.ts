import { DOCUMENT } from '@angular/common';
import { Injectable, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Observable, Subject, combineLatest, map, of, scan, startWith, switchMap } from 'rxjs';
import type { IntegrationHealth, IntegrationId } from '../../core/api/api.models';
import { IntegrationsApiService } from '../../core/api/integrations-api.service';
import { CDR_REFRESH_INTERVAL_MS } from '../../core/config/cdr-refresh-interval.token';
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

  readonly state$: Observable<IntegrationsHealthState> = pollWhileVisible({
    intervalMs: this.intervalMs,
    document: this.document,
    restart$: this.refreshRequests,
  }).pipe(
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

  refreshNow(): void {
    this.refreshRequests.next();
  }
}
