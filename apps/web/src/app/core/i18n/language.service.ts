import { DOCUMENT } from '@angular/common';
import { Injectable, computed, inject, signal } from '@angular/core';
import { TranslocoService } from '@jsverse/transloco';
import { DEFAULT_LANGUAGE, LANGUAGE_STORAGE_KEY, Language, isLanguage, localeFor } from './languages';

/**
 * The active UI language: Turkish by default, the user's choice remembered in localStorage,
 * mirrored to `<html lang>` and to Transloco. `locale()` drives every Intl formatter.
 */
@Injectable({ providedIn: 'root' })
export class LanguageService {
  private readonly transloco = inject(TranslocoService);
  private readonly document = inject(DOCUMENT);
  private readonly current = signal<Language>(DEFAULT_LANGUAGE);

  readonly language = this.current.asReadonly();
  readonly locale = computed(() =>
    localeFor(this.current(), this.document.defaultView?.navigator.languages ?? []),
  );

  /** Called once at startup (app initializer): restores the remembered choice. */
  restore(): void {
    this.apply(this.readStored() ?? DEFAULT_LANGUAGE);
  }

  use(language: Language): void {
    this.apply(language);
    try {
      this.document.defaultView?.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
    } catch {
      // storage may be disabled (private mode): the choice then lasts for this page only
    }
  }

  private apply(language: Language): void {
    this.current.set(language);
    this.transloco.setActiveLang(language);
    this.document.documentElement.lang = language;
  }

  private readStored(): Language | null {
    try {
      const stored = this.document.defaultView?.localStorage.getItem(LANGUAGE_STORAGE_KEY);
      return isLanguage(stored) ? stored : null;
    } catch {
      return null;
    }
  }
}
