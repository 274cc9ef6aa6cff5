import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { finalize } from 'rxjs';
import { ApiError, isApiError } from '../../http/api-error';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth.models';
import { AuthService } from '../auth.service';
import { differentPasswordValidator, samePasswordValidator } from '../password.validators';

export interface ChangePasswordDialogData {
  /** The account must change its password (first sign-in, reset by an admin): no way to skip it. */
  readonly forced: boolean;
}

/** `changed` after a successful change, `logout` when a forced change is declined. */
export type ChangePasswordDialogResult = 'changed' | 'logout' | undefined;

/** Change your own password (`POST /api/auth/change-password`). */
@Component({
  selector: 'vl-change-password-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    TranslocoPipe,
  ],
  templateUrl: './change-password-dialog.component.html',
  styleUrl: './change-password-dialog.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChangePasswordDialogComponent {
  private readonly auth = inject(AuthService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly dialogRef = inject<MatDialogRef<ChangePasswordDialogComponent, ChangePasswordDialogResult>>(MatDialogRef);
  protected readonly data = inject<ChangePasswordDialogData | null>(MAT_DIALOG_DATA, { optional: true }) ?? { forced: false };
  protected readonly minLength = PASSWORD_MIN_LENGTH;

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      current: ['', [Validators.required]],
      next: ['', [Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(PASSWORD_MAX_LENGTH)]],
      confirm: ['', [Validators.required]],
    },
    { validators: [samePasswordValidator('next', 'confirm'), differentPasswordValidator('current', 'next')] },
  );
  protected readonly saving = signal(false);
  protected readonly error = signal<ApiError | null>(null);

  protected submit(): void {
    if (this.saving()) return;
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { current, next } = this.form.getRawValue();
    this.saving.set(true);
    this.error.set(null);
    this.auth
      .changePassword(current, next)
      .pipe(
        finalize(() => { this.saving.set(false); }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => { this.dialogRef.close('changed'); },
        error: (error: unknown) => {
          this.form.controls.current.reset('');
          this.error.set(isApiError(error) ? error : null);
        },
      });
  }

  protected cancel(): void {
    this.dialogRef.close(this.data.forced ? 'logout' : undefined);
  }
}
