import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { PrivacyPageComponent } from './privacy-page.component';

describe('PrivacyPageComponent', () => {
  let fixture: ComponentFixture<PrivacyPageComponent>;
  let http: HttpTestingController;
  let element: HTMLElement;

  async function render(): Promise<void> {
    TestBed.configureTestingModule({
      imports: [PrivacyPageComponent],
      providers: [provideTestHttp(), provideTestTransloco('tr'), provideTestIcons()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PrivacyPageComponent);
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    http.expectOne('/api/privacy/settings').flush({ masking_enabled: false, masked_roles: ['agent'], reveal_roles: ['admin', 'agent'] });
    await fixture.whenStable();
  }

  const input = (testId: string): HTMLInputElement | null => element.querySelector<HTMLInputElement>(`[data-testid="${testId}"] input`);

  afterEach(() => {
    fixture.destroy();
    http.verify();
  });

  it('loads the settings, and saves the switch and the role choices', async () => {
    await render();
    expect(element.textContent).toContain('Gizlilik (KVKK/GDPR)');
    expect(input('privacy-masked-agent')?.checked).toBe(true);
    expect(input('privacy-masked-admin')?.checked).toBe(false);
    element.querySelector<HTMLButtonElement>('[data-testid="privacy-enabled"] button')?.click();
    input('privacy-reveal-agent')?.click();
    await fixture.whenStable();
    element.querySelector<HTMLButtonElement>('[data-testid="privacy-save"]')?.click();
    const request = http.expectOne('/api/privacy/settings');
    expect(request.request.method).toBe('PUT');
    const expected = { masking_enabled: true, masked_roles: ['agent'], reveal_roles: ['admin'] };
    expect(request.request.body).toEqual(expected);
    request.flush(expected);
    await fixture.whenStable();
  });

  it('shows the API refusal with the field it names', async () => {
    await render();
    element.querySelector<HTMLButtonElement>('[data-testid="privacy-save"]')?.click();
    http
      .expectOne('/api/privacy/settings')
      .flush({ message: ['masked_roles must hold only these roles: admin, agent'] }, { status: 400, statusText: 'Bad Request' });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="privacy-error"]')?.textContent).toContain('masked_roles must hold only these roles');
  });
});
