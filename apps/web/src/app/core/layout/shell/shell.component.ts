import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, effect, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { DateAdapter } from '@angular/material/core';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { map } from 'rxjs';
import { LanguageService } from '../../i18n/language.service';
import { LANGUAGES, Language, isLanguage } from '../../i18n/languages';
import { ThemeService } from '../../theme/theme.service';

interface NavItem {
  readonly labelKey: string;
  readonly icon: string;
  readonly link?: string;
}

/** Below this width (tablets in portrait, phones) the side nav overlays the content. */
export const COMPACT_LAYOUT_QUERY = '(max-width: 1023.98px)';

@Component({
  selector: 'vl-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatSidenavModule,
    MatToolbarModule,
    MatListModule,
    MatIconModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatTooltipModule,
    TranslocoPipe,
  ],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShellComponent {
  protected readonly languageService = inject(LanguageService);
  protected readonly theme = inject(ThemeService);
  private readonly dateAdapter = inject<DateAdapter<Date>>(DateAdapter);
  private readonly sidenav = viewChild.required(MatSidenav);

  protected readonly languages = LANGUAGES;
  protected readonly compact = toSignal(
    inject(BreakpointObserver)
      .observe(COMPACT_LAYOUT_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly sections: readonly NavItem[] = [
    { labelKey: 'nav.voipCrm', icon: 'phone', link: '/voip-crm' },
    { labelKey: 'nav.integrations', icon: 'extension', link: '/integrations' },
    { labelKey: 'nav.tts', icon: 'graphic_eq', link: '/tts' },
  ];
  protected readonly upcoming: readonly NavItem[] = [
    { labelKey: 'nav.reports', icon: 'bar_chart' },
    { labelKey: 'nav.alerts', icon: 'notifications' },
  ];

  constructor() {
    effect(() => this.dateAdapter.setLocale(this.languageService.locale()));
  }

  protected switchLanguage(value: unknown): void {
    if (isLanguage(value)) {
      this.languageService.use(value satisfies Language);
    }
  }

  protected closeNavOnCompact(): void {
    if (this.compact()) {
      void this.sidenav().close();
    }
  }
}
