import { Pipe, PipeTransform } from '@angular/core';
import { formatPhoneNumber } from './phone-number';

/** `{{ cdr.caller | phoneNumber }}` → `+90 532 123 45 67`. See `formatPhoneNumber`. */
@Pipe({ name: 'phoneNumber' })
export class PhoneNumberPipe implements PipeTransform {
  transform(value: string | null | undefined): string {
    return formatPhoneNumber(value);
  }
}
