import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import type { IssabelSettingsView } from '@velora/contracts';
import { defaultIssabelView } from '../../../../testing/settings.fixtures';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { IssabelSettingsFormComponent } from './issabel-settings-form.component';

const SETTINGS = '/api/issabel/settings';

const savedView = (): IssabelSettingsView =>
  defaultIssabelView({
    mode: 'live',
    saved: { version: 1, updated_at: '2026-12-01T09:00:00.000Z', updated_by: 'admin@example.com' },
    host: { value: 'pbx.example.net', source: 'saved', locked: false, env: 'ISSABEL_AMI_HOST' },
    port: { value: 5039, source: 'saved', locked: false, env: 'ISSABEL_AMI_PORT' },
    username: { value: 'velora', source: 'saved', locked: false, env: 'ISSABEL_AMI_USER' },
    secret: { set: true, last2: 'k2', source: 'saved', locked: false, env: 'ISSABEL_AMI_SECRET' },
    tls: { value: true, source: 'saved', locked: false, env: 'ISSABEL_AMI_TLS' },
  });

describe('IssabelSettingsFormComponent', () => {
  let fixture: ComponentFixture<IssabelSettingsFormComponent>;
  let element: HTMLElement;
  let backend: HttpTestingController;
  let changes: number;

  const byTestId = (testId: string, root: ParentNode = element): HTMLElement => {
    const found = root.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    if (!found) throw new Error(`no ${testId}`);
    return found;
  };
  const type = (testId: string, value: string): void => {
    const field = byTestId(testId) as HTMLInputElement;
    field.value = value;
    field.dispatchEvent(new Event('input'));
    field.dispatchEvent(new Event('blur'));
  };
  const settle = async (): Promise<void> => {
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const click = async (testId: string): Promise<void> => {
    byTestId(testId).click();
    await settle();
  };
  const text = (): string => element.textContent.replace(/\s+/g, ' ');

  async function start(view: IssabelSettingsView): Promise<void> {
    fixture = TestBed.createComponent(IssabelSettingsFormComponent);
    element = fixture.nativeElement as HTMLElement;
    changes = 0;
    fixture.componentInstance.changed.subscribe(() => {
      changes += 1;
    });
    await fixture.whenStable();
    backend.expectOne(SETTINGS).flush(view);
    await settle();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [IssabelSettingsFormComponent],
      providers: [
        provideTestHttp(),
        provideTestTransloco('en'),
        provideTestIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
  });

  it('validates host, port, user and secret before sending anything', async () => {
    await start(defaultIssabelView());
    type('is-host', 'pbx example');
    type('is-port', '70000');
    await click('is-save');
    expect(text()).toContain('Enter a host name or an IP address.');
    expect(text()).toContain('Enter a port between 1 and 65535.');
    expect(text()).toContain('The username is required.');
    expect(text()).toContain('The secret is required.');
    backend.expectNone(SETTINGS);
  });

  it('saves host, port, user, secret and TLS, clears the secret and shows it set', async () => {
    await start(defaultIssabelView());
    type('is-host', 'pbx.example.net');
    type('is-port', '5039');
    type('is-username', 'velora');
    type('is-secret', 'ami-secret-value');
    byTestId('is-tls').querySelector('button')?.click();
    await settle();
    await click('is-save');
    const call = backend.expectOne(SETTINGS);
    expect(call.request.method).toBe('PUT');
    expect(call.request.body).toEqual({
      host: 'pbx.example.net',
      port: 5039,
      username: 'velora',
      secret: 'ami-secret-value',
      tls: true,
      tls_verify: true,
    });
    expect((byTestId('is-secret') as HTMLInputElement).value).toBe('');
    call.flush({
      settings: savedView(),
      test: {
        ok: true,
        message: 'Connected',
        details: { endpoint: 'tls://pbx.example.net:5039', latency_ms: 40, asterisk_version: '16.30.1', tls_verify: true },
      },
    });
    await settle();
    expect(byTestId('is-result').textContent).toContain('Saved and in force');
    expect(byTestId('is-result').textContent).toContain('16.30.1');
    expect(byTestId('settings-secret').textContent).toContain('set (…k2)');
    expect(byTestId('settings-host').textContent).toContain('Saved here');
    expect(element.innerHTML).not.toContain('ami-secret-value');
    expect(changes).toBe(1);
  });

  it('tests with the saved secret for the same host and user (the secret is not sent)', async () => {
    await start(savedView());
    expect((byTestId('is-host') as HTMLInputElement).value).toBe('pbx.example.net');
    await click('is-test');
    const call = backend.expectOne(`${SETTINGS}/test`);
    expect(call.request.body).toEqual({ host: 'pbx.example.net', port: 5039, username: 'velora', tls: true, tls_verify: true });
    call.flush({
      ok: false,
      message: 'Issabel (Asterisk AMI) rejected the login',
      details: { endpoint: 'tls://pbx.example.net:5039', latency_ms: null, cause: 'auth' },
    });
    await settle();
    expect(byTestId('is-result').textContent).toContain('Connection failed');
    expect(byTestId('is-cause').textContent).toContain('Authentication failed');
    expect(changes).toBe(0);
  });

  it('is read-only while ISSABEL_AMI_HOST sets the connection', async () => {
    await start(
      defaultIssabelView({
        mode: 'live',
        read_only: true,
        host: { value: '10.0.0.5', source: 'env', locked: true, env: 'ISSABEL_AMI_HOST' },
        secret: { set: true, last2: null, source: 'env', locked: true, env: 'ISSABEL_AMI_SECRET' },
      }),
    );
    expect(byTestId('settings-read-only').textContent).toContain('ISSABEL_AMI_HOST');
    expect(byTestId('settings-secret').textContent).toContain('set');
    expect(byTestId('settings-secret').textContent).not.toContain('…');
    expect(element.querySelector('[data-testid="is-save"]')).toBeNull();
  });
});
