import { HttpTestingController } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { AuthService } from '../../core/auth/auth.service';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../testing/testing.providers';
import { MaskedNumberComponent } from './masked-number.component';
import { isMaskedNumber } from './number-reveal.service';

describe('MaskedNumberComponent', () => {
  let fixture: ComponentFixture<MaskedNumberComponent>;
  let http: HttpTestingController;
  let element: HTMLElement;

  async function render(value: string | null, status: { masked: boolean; can_reveal: boolean }): Promise<void> {
    TestBed.configureTestingModule({
      imports: [MaskedNumberComponent],
      providers: [
        provideTestHttp(),
        provideTestTransloco('tr'),
        provideTestIcons(),
        { provide: AuthService, useValue: { user: signal({ id: 'user-1' }) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(MaskedNumberComponent);
    fixture.componentRef.setInput('value', value);
    fixture.componentRef.setInput('cdrId', 'cdr-1');
    fixture.componentRef.setInput('field', 'callee');
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    http.expectOne('/api/privacy/me').flush(status);
    await fixture.whenStable();
  }

  const shown = (): string => element.querySelector('[data-testid="number-value"]')?.textContent.trim() ?? '';
  const button = (): HTMLButtonElement | null => element.querySelector<HTMLButtonElement>('[data-testid="reveal-number"]');

  afterEach(() => {
    fixture.destroy();
    http.verify();
  });

  it('shows an unmasked number formatted, without a reveal button', async () => {
    await render('905321234567', { masked: false, can_reveal: true });
    expect(shown()).toBe('+90 532 123 45 67');
    expect(button()).toBeNull();
  });

  it('reveals a masked number in place after the API answers', async () => {
    await render('+90 212 *** ** 78', { masked: true, can_reveal: true });
    expect(shown()).toBe('+90 212 *** ** 78');
    expect(button()?.getAttribute('aria-label')).toBe('Numarayı göster (denetim kaydına yazılır)');
    button()?.click();
    const request = http.expectOne('/api/privacy/reveal');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ cdr_id: 'cdr-1', field: 'callee' });
    request.flush({ cdr_id: 'cdr-1', field: 'callee', value: '902122345678' });
    await fixture.whenStable();
    expect(shown()).toBe('+90 212 234 56 78');
    expect(button()).toBeNull();
  });

  it('keeps the mask and marks the button when the reveal is refused', async () => {
    await render('+90 212 *** ** 78', { masked: true, can_reveal: true });
    button()?.click();
    http.expectOne('/api/privacy/reveal').flush({ message: 'no' }, { status: 403, statusText: 'Forbidden' });
    await fixture.whenStable();
    expect(shown()).toBe('+90 212 *** ** 78');
    expect(button()?.classList.contains('failed')).toBe(true);
  });

  it('offers no reveal to a role that may not reveal', async () => {
    await render('+90 212 *** ** 78', { masked: true, can_reveal: false });
    expect(button()).toBeNull();
  });
});

describe('isMaskedNumber', () => {
  it('tells masks from numbers, extensions and empty values', () => {
    expect(isMaskedNumber('+90 532 *** ** 67')).toBe(true);
    expect(isMaskedNumber('905321234567')).toBe(false);
    expect(isMaskedNumber('*21#')).toBe(false);
    expect(isMaskedNumber(null)).toBe(false);
  });
});
