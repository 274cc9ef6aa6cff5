import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';

export const VIEW_NAME_MAX_LENGTH = 80;

export interface SaveViewDialogData {
  /** `create`: name, shared (admins) and "keep the range"; `rename`: the name only. */
  readonly mode: 'create' | 'rename';
  readonly name?: string;
  /** The caller may share views with everyone (admins). */
  readonly canShare: boolean;
  /** The screen has a date range the view may keep. */
  readonly hasDates: boolean;
}

export interface SaveViewDialogResult {
  readonly name: string;
  readonly shared: boolean;
  readonly keepDates: boolean;
}

/** Asks for a view's name (and, when saving, whether to share it and to keep the date range). */
@Component({
  selector: 'vl-save-view-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatCheckboxModule, MatDialogModule, MatFormFieldModule, MatInputModule, TranslocoPipe],
  template: `
    <h2 mat-dialog-title>{{ (data.mode === 'create' ? 'views.saveTitle' : 'views.renameTitle') | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="save-view-form">
      <mat-dialog-content class="content">
        <mat-form-field appearance="outline">
          <mat-label>{{ 'views.name' | transloco }}</mat-label>
          <input matInput formControlName="name" [maxlength]="maxLength" autocomplete="off" cdkFocusInitial data-testid="view-name" />
          @if (form.controls.name.hasError('required') || form.controls.name.hasError('pattern')) {
            <mat-error>{{ 'views.nameRequired' | transloco }}</mat-error>
          }
        </mat-form-field>
        @if (data.mode === 'create') {
          @if (data.hasDates) {
            <mat-checkbox formControlName="keepDates" data-testid="view-keep-dates">{{ 'views.keepDates' | transloco }}</mat-checkbox>
            <p class="hint">{{ 'views.keepDatesHint' | transloco }}</p>
          }
          @if (data.canShare) {
            <mat-checkbox formControlName="shared" data-testid="view-shared">{{ 'views.shared' | transloco }}</mat-checkbox>
            <p class="hint">{{ 'views.sharedHint' | transloco }}</p>
          }
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="undefined">{{ 'common.cancel' | transloco }}</button>
        <button mat-flat-button type="submit" data-testid="view-submit">{{ 'views.save' | transloco }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .content {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: min(380px, 80vw);
    }
    .hint {
      margin: 0 0 8px 40px;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SaveViewDialogComponent {
  protected readonly data = inject<SaveViewDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<SaveViewDialogComponent, SaveViewDialogResult>>(MatDialogRef);
  protected readonly maxLength = VIEW_NAME_MAX_LENGTH;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.data.name ?? '', [Validators.required, Validators.maxLength(VIEW_NAME_MAX_LENGTH), Validators.pattern(/\S/)]],
    shared: [false],
    keepDates: [true],
  });

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    this.dialogRef.close({
      name: value.name.trim(),
      shared: this.data.canShare && value.shared,
      keepDates: this.data.hasDates && value.keepDates,
    });
  }
}
