import { TestBed } from '@angular/core/testing';
import { TranslocoService } from '@jsverse/transloco';
import { provideTestTransloco } from '../../../testing/testing.providers';
import { LanguageService } from './language.service';
import { LANGUAGE_STORAGE_KEY, localeFor } from './languages';

describe('LanguageService', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.lang = '';
    TestBed.configureTestingModule({ providers: [provideTestTransloco('tr')] });
  });

  it('starts in Turkish when nothing is remembered', () => {
    const service = TestBed.inject(LanguageService);
    service.restore();
    expect(service.language()).toBe('tr');
    expect(service.locale()).toBe('tr-TR');
    expect(document.documentElement.lang).toBe('tr');
    expect(TestBed.inject(TranslocoService).getActiveLang()).toBe('tr');
  });

  it('remembers the choice and restores it on the next visit', () => {
    const service = TestBed.inject(LanguageService);
    service.restore();
    service.use('en');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(TestBed.inject(TranslocoService).getActiveLang()).toBe('en');

    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideTestTransloco('tr')] });
    const next = TestBed.inject(LanguageService);
    next.restore();
    expect(next.language()).toBe('en');
  });

  it('ignores a tampered stored value', () => {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, 'klingon');
    const service = TestBed.inject(LanguageService);
    service.restore();
    expect(service.language()).toBe('tr');
  });

  it('picks an English locale from the browser, else en-US', () => {
    expect(localeFor('en', ['tr-TR', 'en-GB'])).toBe('en-GB');
    expect(localeFor('en', ['de-DE'])).toBe('en-US');
    expect(localeFor('tr', ['en-GB'])).toBe('tr-TR');
  });
});
