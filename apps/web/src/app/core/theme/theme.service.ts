import { DOCUMENT } from '@angular/common';
import { Injectable, inject, signal } from '@angular/core';

export type ThemeMode = 'light' | 'dark';
export const THEME_STORAGE_KEY = 'velora.theme';

/**
 * Light/dark theme. The Material 3 theme is built with `theme-type: color-scheme`, so switching is
 * just the CSS `color-scheme` of `<html>`. Without a stored choice the OS preference wins.
 */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  private readonly current = signal<ThemeMode>('light');

  readonly mode = this.current.asReadonly();

  restore(): void {
    const stored = this.read();
    // jsdom (the unit tests) has no matchMedia, whatever lib.dom says
    const view: Partial<Pick<Window, 'matchMedia'>> | null = this.document.defaultView;
    const prefersDark = view?.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
    this.apply(stored ?? (prefersDark ? 'dark' : 'light'));
  }

  toggle(): void {
    const next: ThemeMode = this.current() === 'dark' ? 'light' : 'dark';
    this.apply(next);
    try {
      this.document.defaultView?.localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // storage disabled: keep the choice for this page only
    }
  }

  private apply(mode: ThemeMode): void {
    this.current.set(mode);
    const root = this.document.documentElement;
    root.style.colorScheme = mode;
    root.classList.toggle('vl-dark', mode === 'dark');
  }

  private read(): ThemeMode | null {
    try {
      const value = this.document.defaultView?.localStorage.getItem(THEME_STORAGE_KEY);
      return value === 'light' || value === 'dark' ? value : null;
    } catch {
      return null;
    }
  }
}
