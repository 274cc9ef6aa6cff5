import { TestBed } from '@angular/core/testing';
import { Observable, Subject, of } from 'rxjs';
import type { IntegrationHealth, IntegrationId, IssabelStatus } from '../../core/api/api.models';
import { IntegrationsApiService } from '../../core/api/integrations-api.service';
import { CDR_REFRESH_INTERVAL_MS } from '../../core/config/cdr-refresh-interval.token';
import { ApiError } from '../../core/http/api-error';
import { FakeVisibility } from '../../../testing/visibility';
import { IntegrationsHealth } from './integrations-health.service';

describe('IntegrationsHealth', () => {
  let calls: IntegrationId[];
  let sippy: Subject<IntegrationHealth>;
  let statusCalls: number;
  let status: Subject<IssabelStatus>;
  let visibility: FakeVisibility;

  beforeEach(() => {
    jest.useFakeTimers();
    calls = [];
    statusCalls = 0;
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
      issabelStatus: (): Observable<IssabelStatus> => {
        statusCalls += 1;
        status = new Subject<IssabelStatus>();
        return status;
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

  describe('Issabel status', () => {
    const pbx: IssabelStatus = {
      mode: 'simulator',
      checked_at: '2026-11-25T12:00:00.000Z',
      latency_ms: 4,
      active_channels: 4,
      active_calls: 2,
      channels_availability: 'ok',
      channels: [],
      peers_availability: 'ok',
      peer_summary: [{ technology: 'sip', total: 5, online: 3, offline: 2 }],
      truncated: false,
    };

    it('polls on the same clock and keeps the last status when a check fails', () => {
      const health = TestBed.inject(IntegrationsHealth);
      expect(statusCalls).toBe(1);
      expect(health.issabelStatus()).toEqual({ status: null, error: null, checking: true });
      status.next(pbx);
      status.complete();
      expect(health.issabelStatus()).toEqual({ status: pbx, error: null, checking: false });

      jest.advanceTimersByTime(30_000);
      expect(statusCalls).toBe(2);
      expect(health.issabelStatus()).toMatchObject({ status: pbx, checking: true });
      const failure = new ApiError('upstream', 502, 'errors.upstream', 'x', ['Issabel refused the AMI connection']);
      status.error(failure);
      expect(health.issabelStatus()).toEqual({ status: pbx, error: failure, checking: false });
    });

    it('pauses with the health checks and refreshes with them', () => {
      const health = TestBed.inject(IntegrationsHealth);
      visibility.hide();
      expect(health.issabelStatus().checking).toBe(false);
      jest.advanceTimersByTime(120_000);
      expect(statusCalls).toBe(1);
      visibility.show();
      expect(statusCalls).toBe(2);
      health.refreshNow();
      expect(statusCalls).toBe(3);
    });
  });
});
