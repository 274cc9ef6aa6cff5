import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { IssabelStatus } from '../../../core/api/api.models';
import { ApiError } from '../../../core/http/api-error';
import { provideTestTransloco } from '../../../../testing/testing.providers';
import type { IssabelStatusEntry } from '../integrations-health.service';
import { IssabelStatusComponent } from './issabel-status.component';

const STATUS: IssabelStatus = {
  mode: 'simulator',
  checked_at: '2026-11-25T12:00:00.000Z',
  latency_ms: 4,
  active_channels: 5,
  active_calls: 3,
  channels_availability: 'ok',
  channels: [],
  peers_availability: 'ok',
  peer_summary: [
    { technology: 'sip', total: 12, online: 9, offline: 3 },
    { technology: 'pjsip', total: 4, online: 4, offline: 0 },
  ],
  truncated: false,
};

describe('IssabelStatusComponent', () => {
  let fixture: ComponentFixture<IssabelStatusComponent>;
  let element: HTMLElement;
  const text = (testId?: string): string =>
    (testId ? element.querySelector(`[data-testid="${testId}"]`) : element)?.textContent.replace(/\s+/g, ' ').trim() ?? '';

  async function render(entry: IssabelStatusEntry): Promise<void> {
    fixture.componentRef.setInput('entry', entry);
    await fixture.whenStable();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [IssabelStatusComponent], providers: [provideTestTransloco('tr')] });
    fixture = TestBed.createComponent(IssabelStatusComponent);
    fixture.componentRef.setInput('locale', 'tr-TR');
    element = fixture.nativeElement as HTMLElement;
  });

  it('shows calls, channels and peers per technology', async () => {
    await render({ status: STATUS, error: null, checking: false });
    expect(text('active-calls')).toBe('3');
    expect(text('active-channels')).toBe('5');
    expect(text('peers-sip')).toBe('9 / 12 çevrim içi');
    expect(text('peers-pjsip')).toBe('4 / 4 çevrim içi');
    expect(text()).toContain('SIP dahilileri');
    expect(element.querySelector('[role="alert"]')).toBeNull();
  });

  it('says which sections the AMI user may not read', async () => {
    await render({
      status: { ...STATUS, active_channels: null, active_calls: null, channels_availability: 'permission_denied', peers_availability: 'not_available', peer_summary: [] },
      error: null,
      checking: false,
    });
    expect(text('active-calls')).toBe('—');
    expect(text('active-channels')).toBe('AMI kullanıcısının yetkisi yok');
    expect(text()).toContain('Santral bu bilgiyi vermiyor');
  });

  it('503: not configured, shown as information', async () => {
    await render({ status: null, error: new ApiError('unavailable', 503, 'errors.unavailable', 'x', ['Issabel is not configured']), checking: false });
    expect(text('issabel-status-unconfigured')).toContain('Issabel yapılandırılmadığı için');
    expect(element.querySelector('[role="alert"]')).toBeNull();
  });

  it('502/504: an error naming the PBX with the API message, the last status kept', async () => {
    await render({
      status: STATUS,
      error: new ApiError('upstream', 502, 'errors.upstream', 'x', ['Issabel (Asterisk AMI) rejected the login']),
      checking: false,
    });
    expect(text('issabel-status-error')).toContain('Santral durumu okunamadı.');
    expect(text('issabel-status-error')).toContain('rejected the login');
    expect(text('active-calls')).toBe('3');
    await render({ status: null, error: new ApiError('timeout', 504, 'errors.timeout', 'x'), checking: false });
    expect(text('issabel-status-error')).toContain('Santral zamanında yanıt vermedi.');
  });
});
