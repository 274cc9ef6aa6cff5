import { formatPhoneNumber } from './phone-number';
import { PhoneNumberPipe } from './phone-number.pipe';

describe('formatPhoneNumber', () => {
  it.each([
    // Turkish numbers in every shape a switch sends them
    ['905321234567', '+90 532 123 45 67'],
    ['+905321234567', '+90 532 123 45 67'],
    ['00905321234567', '+90 532 123 45 67'],
    ['05321234567', '+90 532 123 45 67'],
    ['+90 (532) 123-45-67', '+90 532 123 45 67'],
    ['902121234567', '+90 212 123 45 67'],
    // other countries
    ['14155550123', '+1 415 555 0123'],
    ['+74951234567', '+7 495 123 45 67'],
    ['442079460958', '+44 207 946 0958'],
    ['4930123456', '4930123456'], // 10 digits without prefix: ambiguous, left alone
    ['+4930123456', '+49 301 234 56'],
    ['0049301234567', '+49 301 234 567'],
    ['35312345678', '+353 123 456 78'],
    ['+97142345678', '+971 423 456 78'],
  ])('%s → %s', (input, expected) => {
    expect(formatPhoneNumber(input)).toBe(expected);
  });

  it.each([
    ['1001', '1001'], // extension
    ['444 1 234', '444 1 234'], // short code
    ['anonymous', 'anonymous'],
    ['sip:alice@example.com', 'sip:alice@example.com'],
    ['  5321234567 ', '5321234567'], // national without trunk prefix: ambiguous, trimmed only
  ])('leaves %j as %j (nothing invented)', (input, expected) => {
    expect(formatPhoneNumber(input)).toBe(expected);
  });

  it('renders null/undefined as an empty string', () => {
    expect(formatPhoneNumber(null)).toBe('');
    expect(formatPhoneNumber(undefined)).toBe('');
  });

  it('is exposed as the `phoneNumber` pipe', () => {
    expect(new PhoneNumberPipe().transform('905551112233')).toBe('+90 555 111 22 33');
  });
});
