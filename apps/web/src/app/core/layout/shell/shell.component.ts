import { NgTemplateOutlet } from '@angular/common';
import { BreakpointObserver } from '@angular/cdk/layout';
import type { ComponentType } from '@angular/cdk/portal';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, untracked, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { DateAdapter } from '@angular/material/core';
import { MatIconModule } from '@angular/material/icon';
import { MatDialog } from '@angular/material/dialog';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { map } from 'rxjs';
import { ROLE_LABEL_KEYS } from '../../auth/auth.models';
import { AuthService } from '../../auth/auth.service';
import type {
  ChangePasswordDialogData,
  ChangePasswordDialogResult,
} from '../../auth/change-password-dialog/change-password-dialog.component';
import { LanguageService } from '../../i18n/language.service';
import { LanguageSwitchComponent } from '../../../shared/language-switch/language-switch.component';
import { NotificationCenter } from '../../notifications/notification-center.service';
import { NotificationBellComponent } from '../notification-bell/notification-bell.component';
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
    MatMenuModule,
    MatIconModule,
    MatButtonModule,
    LanguageSwitchComponent,
    NgTemplateOutlet,
    MatTooltipModule,
    TranslocoPipe,
    NotificationBellComponent,
  ],
  // the bell's state lives with the signed-in shell (and its one event stream)
  providers: [NotificationCenter],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShellComponent {
  protected readonly languageService = inject(LanguageService);
  protected readonly theme = inject(ThemeService);
  private readonly dateAdapter = inject<DateAdapter<Date>>(DateAdapter);
  private readonly sidenav = viewChild.required(MatSidenav);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly auth = inject(AuthService);
  /** The forced change-password dialog is open (opened once, however often the flag is set). */
  private forcedDialogOpen = false;

  protected readonly compact = toSignal(
    inject(BreakpointObserver)
      .observe(COMPACT_LAYOUT_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly sections: readonly NavItem[] = [
    { labelKey: 'nav.voipCrm', icon: 'phone', link: '/voip-crm' },
    { labelKey: 'nav.reports', icon: 'bar_chart', link: '/reports' },
    { labelKey: 'nav.alerts', icon: 'warning', link: '/alerts' },
    { labelKey: 'nav.integrations', icon: 'extension', link: '/integrations' },
    { labelKey: 'nav.tts', icon: 'graphic_eq', link: '/tts' },
  ];
  /** Under "Yönetim / Administration", for admins only. */
  protected readonly adminSections: readonly NavItem[] = [
    { labelKey: 'nav.users', icon: 'group', link: '/admin/users' },
    { labelKey: 'nav.audit', icon: 'history', link: '/admin/audit' },
    { labelKey: 'nav.privacy', icon: 'visibility_off', link: '/admin/privacy' },
  ];
  protected readonly userLabel = computed(() => {
    const user = this.auth.user();
    return user === null ? '' : (user.display_name ?? user.email);
  });
  protected readonly roleKey = computed(() => {
    const role = this.auth.role();
    return role === null ? null : ROLE_LABEL_KEYS[role];
  });

  constructor() {
    effect(() => { this.dateAdapter.setLocale(this.languageService.locale()); });
    // first sign-in with a generated password, or a password reset by an admin: change it first
    effect(() => {
      if (this.auth.mustChangePassword()) {
        untracked(() => { this.openForcedPasswordChange(); });
      }
    });
  }

  protected changePassword(): void {
    this.openChangePassword(false);
  }

  protected signOut(): void {
    this.dialog.closeAll();
    this.auth
      .logout()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({ complete: () => void this.router.navigateByUrl('/login') });
  }

  private openForcedPasswordChange(): void {
    if (this.forcedDialogOpen) return;
    this.forcedDialogOpen = true;
    this.openChangePassword(true);
  }

  private openChangePassword(forced: boolean): void {
    // loaded on demand: the dialog's form modules stay out of the initial bundle
    void import('../../auth/change-password-dialog/change-password-dialog.component').then(({ ChangePasswordDialogComponent }) => { this.showChangePassword(ChangePasswordDialogComponent, forced); },
    );
  }

  private showChangePassword(component: ComponentType<unknown>, forced: boolean): void {
    this.dialog
      .open<unknown, ChangePasswordDialogData, ChangePasswordDialogResult>(component, {
        data: { forced },
        disableClose: forced,
        autoFocus: 'first-tabbable',
        width: '440px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((result) => {
        if (forced) this.forcedDialogOpen = false;
        if (result === 'changed') {
          this.snackBar.open(this.transloco.translate('auth.changePassword.done'), undefined, { duration: 4000 });
        } else if (result === 'logout') {
          this.signOut();
        }
      });
  }

  protected closeNavOnCompact(): void {
    if (this.compact()) {
      void this.sidenav().close();
    }
  }
}
