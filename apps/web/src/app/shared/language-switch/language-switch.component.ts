import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../core/i18n/language.service';
import { LANGUAGES, isLanguage } from '../../core/i18n/languages';

/** TR | EN toggle: switches the UI language (kept by LanguageService). Used by the shell toolbar and the login page. */
@Component({
  selector: 'vl-language-switch',
  imports: [MatButtonToggleModule, TranslocoPipe],
  template: `
    <mat-button-toggle-group
      hideSingleSelectionIndicator
      [value]="languageService.language()"
      (change)="switchLanguage($event.value)"
      [attr.aria-label]="'shell.language' | transloco"
      data-testid="language-switch"
    >
      @for (lang of languages; track lang) {
        <mat-button-toggle [value]="lang" [attr.data-testid]="'lang-' + lang">{{ lang.toUpperCase() }}</mat-button-toggle>
      }
    </mat-button-toggle-group>
  `,
  styles: `
    :host {
      display: inline-block;
      --mat-button-toggle-height: 36px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LanguageSwitchComponent {
  protected readonly languageService = inject(LanguageService);
  protected readonly languages = LANGUAGES;

  protected switchLanguage(value: unknown): void {
    if (isLanguage(value)) this.languageService.use(value);
  }
}
