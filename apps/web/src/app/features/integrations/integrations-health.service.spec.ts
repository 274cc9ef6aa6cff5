import { TestBed } from '@angular/core/testing';
import { Observable, Subject, of } from 'rxjs';
import type { IntegrationHealth, IntegrationId } from '../../core/api/api.models';
import { IntegrationsApiService } from '../../core/api/integrations-api.service';
import { CDR_REFRESH_INTERVAL_MS } from '../../core/config/cdr-refresh-interval.token';
import { FakeVisibility } from '../../../testing/visibility';
import { IntegrationsHealth } from './integrations-health.service';

describe('IntegrationsHealth', () => {
  let calls: IntegrationId[];
  let sippy: Subject<IntegrationHealth>;
  let visibility: FakeVisibility;

  beforeEach(() => {
    jest.useFakeTimers();
    calls = [];
    visibility = new FakeVisibility();
    const api = {
      health: (id: IntegrationId): Observable<IntegrationHealth> => {
        calls.push(id);
        if (id === 'sippy') {
          sippy = new Subject<IntegrationHealth>();
          return sippy;
        }
        return of<IntegrationHealth>({ state: 'not_available' });
      },
    };
    TestBed.configureTestingModule({
      providers: [
        IntegrationsHealth,
        { provide: IntegrationsApiService, useValue: api },
        { provide: CDR_REFRESH_INTERVAL_MS, useValue: 30_000 },
      ],
    });
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    visibility.restore();
    jest.useRealTimers();
  });

  it('checks all three at once, keeps each answer, and re-checks every 30 s', () => {
    const health = TestBed.inject(IntegrationsHealth);
    expect(calls).toEqual(['sippy', 'issabel', 'elevenlabs']);
    expect(health.state().issabel.health).toEqual({ state: 'not_available' });
    expect(health.state().sippy).toMatchObject({ health: null, checking: true });

    sippy.next({ state: 'up', details: { status: 'up', latency_ms: 5 } });
    expect(health.state().sippy).toMatchObject({ checking: false, health: { state: 'up' } });

    jest.advanceTimersByTime(30_000);
    expect(calls).toHaveLength(6);
    // the previous answer stays visible while the next check runs
    expect(health.state().sippy).toMatchObject({ checking: true, health: { state: 'up' } });
  });

  it('stops checking while the tab is hidden and checks at once on return', () => {
    const health = TestBed.inject(IntegrationsHealth);
    visibility.hide();
    expect(health.state().sippy.checking).toBe(false);
    jest.advanceTimersByTime(120_000);
    expect(calls).toHaveLength(3);
    visibility.show();
    expect(calls).toHaveLength(6);
  });

  it('refreshNow() checks again at once', () => {
    const health = TestBed.inject(IntegrationsHealth);
    health.refreshNow();
    expect(calls).toHaveLength(6);
  });
});
