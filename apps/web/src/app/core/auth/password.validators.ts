import { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

/** Group validator: `confirm` must equal `password` (error `mismatch` on the group). */
export function samePasswordValidator(passwordKey: string, confirmKey: string): ValidatorFn {
  return (group: AbstractControl): ValidationErrors | null => {
    const password = group.get(passwordKey)?.value as unknown;
    const confirm = group.get(confirmKey)?.value as unknown;
    return confirm === '' || password === confirm ? null : { mismatch: true };
  };
}

/** Group validator: the new password must differ from the current one (error `unchanged`). */
export function differentPasswordValidator(currentKey: string, nextKey: string): ValidatorFn {
  return (group: AbstractControl): ValidationErrors | null => {
    const current = group.get(currentKey)?.value as unknown;
    const next = group.get(nextKey)?.value as unknown;
    return next !== '' && current === next ? { unchanged: true } : null;
  };
}
