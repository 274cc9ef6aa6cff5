import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../core/auth/auth.models';
import { samePasswordValidator } from '../../../core/auth/password.validators';

export interface SetPasswordDialogData {
  readonly email: string;
}

/** An admin sets a new password for a user; closes with the password (the page sends it). */
@Component({
  selector: 'vl-set-password-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, TranslocoPipe],
  template: `
    <h2 mat-dialog-title>{{ 'users.resetPassword.title' | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="reset-password-form">
      <mat-dialog-content class="content">
        <p>{{ 'users.resetPassword.text' | transloco: { email: data.email } }}</p>
        <mat-form-field appearance="outline">
          <mat-label>{{ 'users.resetPassword.password' | transloco }}</mat-label>
          <input matInput type="password" formControlName="password" autocomplete="new-password" data-testid="rp-password" />
          <mat-hint>{{ 'auth.passwordHint' | transloco: { min: minLength } }}</mat-hint>
          @if (form.controls.password.hasError('required')) {
            <mat-error>{{ 'auth.changePassword.errors.nextRequired' | transloco }}</mat-error>
          } @else if (form.controls.password.hasError('minlength')) {
            <mat-error>{{ 'auth.passwordTooShort' | transloco: { min: minLength } }}</mat-error>
          } @else if (form.controls.password.hasError('maxlength')) {
            <mat-error>{{ 'auth.passwordTooLong' | transloco }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>{{ 'auth.changePassword.confirm' | transloco }}</mat-label>
          <input matInput type="password" formControlName="confirm" autocomplete="new-password" data-testid="rp-confirm" />
          @if (form.controls.confirm.hasError('required')) {
            <mat-error>{{ 'auth.changePassword.errors.confirmRequired' | transloco }}</mat-error>
          }
        </mat-form-field>
        @if (form.touched && form.hasError('mismatch')) {
          <p class="form-error" role="alert">{{ 'auth.changePassword.errors.mismatch' | transloco }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="undefined">{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="submit" data-testid="rp-submit">{{ 'users.resetPassword.submit' | transloco }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .content {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: min(360px, 80vw);
    }
    .form-error {
      margin: 0;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SetPasswordDialogComponent {
  protected readonly data = inject<SetPasswordDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<SetPasswordDialogComponent, string>>(MatDialogRef);
  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      password: ['', [Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(PASSWORD_MAX_LENGTH)]],
      confirm: ['', [Validators.required]],
    },
    { validators: [samePasswordValidator('password', 'confirm')] },
  );

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.dialogRef.close(this.form.controls.password.value);
  }
}
