import { exactNumberCandidates, isMaskable, maskNumbersInText, maskPhoneNumber } from './number-masker';

describe('maskPhoneNumber', () => {
  it.each([
    ['+905321234567', '+90 532 *** ** 67'],
    ['905321234567', '+90 532 *** ** 67'],
    ['00905321234567', '+90 532 *** ** 67'],
    ['05321234567', '+90 532 *** ** 67'],
    ['+90 (532) 123-45-67', '+90 532 *** ** 67'],
    ['902122345678', '+90 212 *** ** 78'],
    ['+14155550123', '+1 415 *** **23'],
    ['+74951234567', '+7 495 *** ** 67'],
    ['+442071234567', '+44 207 *** **67'],
    ['+3531234', '+353 **34'],
  ])('%s → %s', (input, expected) => {
    expect(maskPhoneNumber(input)).toBe(expected);
  });

  it('masks a national number without a country code: at most 3 kept at the head, 2 at the tail, ≥ 3 hidden', () => {
    expect(maskPhoneNumber('2123456789')).toBe('212*****89');
    expect(maskPhoneNumber('2123456')).toBe('21***56');
    expect(maskPhoneNumber('21234567')).toBe('212***67');
  });

  it('leaves extensions and short codes (6 digits or fewer) as they are', () => {
    for (const short of ['1001', '112', '4444', '123456', '+123456', '*21#']) {
      expect(maskPhoneNumber(short)).toBe(short);
      expect(isMaskable(short)).toBe(false);
    }
  });

  it('keeps empty values and text without numbers', () => {
    expect(maskPhoneNumber(null)).toBeNull();
    expect(maskPhoneNumber(undefined)).toBeNull();
    expect(maskPhoneNumber('')).toBe('');
    expect(maskPhoneNumber('   ')).toBe('   ');
    expect(maskPhoneNumber('anonymous')).toBe('anonymous');
  });

  it('masks the digits of a SIP URI in place', () => {
    expect(maskPhoneNumber('sip:905321234567@10.0.0.1')).toBe('sip:+90 532 *** ** 67@10.0.0.1');
  });

  it('never shows a hidden digit and is idempotent', () => {
    const numbers = ['+905321234567', '905559876543', '+14155550123', '2123456789', '+4930123456789'];
    for (const number of numbers) {
      const masked = maskPhoneNumber(number) ?? '';
      const digits = number.replace(/\D/g, '');
      const shown = masked.replace(/\D/g, '');
      expect(shown.length).toBeLessThanOrEqual(digits.length - 3);
      expect(masked).toContain('*');
      expect(masked.slice(-2)).toBe(digits.slice(-2));
      expect(maskPhoneNumber(masked)).toBe(masked);
    }
  });
});

describe('maskNumbersInText', () => {
  it('masks numbers in a sentence but not counts, dates or times', () => {
    expect(maskNumbersInText('42 distinct numbers in 10 min from 905321234567 since 2026-12-04 10:00')).toBe(
      '42 distinct numbers in 10 min from +90 532 *** ** 67 since 2026-12-04 10:00',
    );
    expect(maskNumbersInText('callback to +90 532 123 45 67, cost 1.25')).toBe('callback to +90 532 *** ** 67, cost 1.25');
  });
});

describe('exactNumberCandidates', () => {
  it('lists the stored spellings of a full number', () => {
    expect(exactNumberCandidates('+90 532 123 45 67')).toEqual(
      expect.arrayContaining(['905321234567', '+905321234567', '00905321234567', '05321234567']),
    );
    expect(exactNumberCandidates('05321234567')).toEqual(expect.arrayContaining(['905321234567', '05321234567']));
  });

  it('refuses partial numbers and wildcards', () => {
    expect(exactNumberCandidates('90532')).toEqual([]);
    expect(exactNumberCandidates('905321*')).toEqual([]);
    expect(exactNumberCandidates('')).toEqual([]);
  });
});
