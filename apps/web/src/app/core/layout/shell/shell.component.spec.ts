import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideNativeDateAdapter } from '@angular/material/core';
import { provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { LanguageService } from '../../i18n/language.service';
import { ThemeService } from '../../theme/theme.service';
import { ShellComponent } from './shell.component';

describe('ShellComponent', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [ShellComponent],
      providers: [provideRouter([]), provideTestTransloco('tr'), provideTestIcons(), provideNativeDateAdapter()],
    });
  });

  async function render() {
    const fixture = TestBed.createComponent(ShellComponent);
    TestBed.inject(LanguageService).restore();
    TestBed.inject(ThemeService).restore();
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('shows the sections, with the upcoming ones disabled', async () => {
    const { element } = await render();
    const links = Array.from(element.querySelectorAll('a[mat-list-item]')).map((a) => [
      a.getAttribute('href'),
      a.textContent?.trim(),
    ]);
    expect(links).toEqual([
      ['/voip-crm', 'VoIP CRM'],
      ['/integrations', 'Entegrasyonlar'],
      ['/tts', 'Metinden Sese'],
    ]);
    const upcoming = Array.from(element.querySelectorAll('mat-list-item.upcoming'));
    expect(upcoming.map((i) => i.getAttribute('aria-disabled'))).toEqual(['true', 'true']);
    expect(upcoming[0]?.textContent).toContain('Yakında');
  });

  it('switches to English from the toolbar and updates <html lang>', async () => {
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('[data-testid="lang-en"] button')?.click();
    await fixture.whenStable();
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('velora.lang')).toBe('en');
    expect(element.querySelector('a[href="/integrations"]')?.textContent?.trim()).toBe('Integrations');
  });

  it('toggles the dark theme and remembers it', async () => {
    const { fixture, element } = await render();
    element.querySelector<HTMLButtonElement>('[data-testid="theme-toggle"]')?.click();
    await fixture.whenStable();
    expect(document.documentElement.style.colorScheme).toBe('dark');
    expect(localStorage.getItem('velora.theme')).toBe('dark');
  });
});
