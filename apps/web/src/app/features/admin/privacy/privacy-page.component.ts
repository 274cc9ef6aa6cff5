import { ChangeDetectionStrategy, Component, DestroyRef, type OnInit, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { PRIVACY_ROLES, type PrivacyRole, type PrivacySettings } from '@velora/contracts';
import { finalize } from 'rxjs';
import { PrivacyApiService } from '../../../core/api/privacy-api.service';
import { ROLE_LABEL_KEYS } from '../../../core/auth/auth.models';
import { type ApiError, isApiError } from '../../../core/http/api-error';
import { NumberRevealService } from '../../../shared/masked-number/number-reveal.service';

type RoleList = 'masked_roles' | 'reveal_roles';

/** `/admin/privacy` (admins): KVKK/GDPR number masking on/off, the masked roles and the roles that may reveal. */
@Component({
  selector: 'vl-privacy-page',
  imports: [MatButtonModule, MatCheckboxModule, MatIconModule, MatProgressBarModule, MatSlideToggleModule, TranslocoPipe],
  templateUrl: './privacy-page.component.html',
  styleUrl: './privacy-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PrivacyPageComponent implements OnInit {
  private readonly api = inject(PrivacyApiService);
  private readonly reveals = inject(NumberRevealService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly roles = PRIVACY_ROLES;
  protected readonly roleKeys = ROLE_LABEL_KEYS;

  /** The settings being edited (null until loaded). */
  protected readonly draft = signal<PrivacySettings | null>(null);
  protected readonly loading = signal(false);
  protected readonly saving = signal(false);
  protected readonly error = signal<ApiError | null>(null);

  ngOnInit(): void {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api
      .settings()
      .pipe(
        finalize(() => {
          this.loading.set(false);
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (settings) => {
          this.draft.set(settings);
        },
        error: (error: unknown) => {
          if (isApiError(error)) this.error.set(error);
        },
      });
  }

  protected setEnabled(enabled: boolean): void {
    this.draft.update((d) => (d === null ? d : { ...d, masking_enabled: enabled }));
  }

  protected hasRole(list: RoleList, role: PrivacyRole): boolean {
    return this.draft()?.[list].includes(role) ?? false;
  }

  protected toggleRole(list: RoleList, role: PrivacyRole, checked: boolean): void {
    this.draft.update((d) => {
      if (d === null) return d;
      const next = checked ? [...d[list], role] : d[list].filter((r) => r !== role);
      return { ...d, [list]: PRIVACY_ROLES.filter((r) => next.includes(r)) };
    });
  }

  protected save(): void {
    const draft = this.draft();
    if (draft === null) return;
    this.saving.set(true);
    this.error.set(null);
    this.api
      .saveSettings(draft)
      .pipe(
        finalize(() => {
          this.saving.set(false);
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (saved) => {
          this.draft.set(saved);
          this.reveals.forget();
          this.snackBar.open(this.transloco.translate('privacy.saved'), undefined, { duration: 3000 });
        },
        error: (error: unknown) => {
          if (isApiError(error)) this.error.set(error);
        },
      });
  }
}
