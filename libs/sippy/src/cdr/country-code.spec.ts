import { countryCodeFromName, countryCodeFromNumber, lookupCountryCode, parseIsoCountryCode, resolveCountryCode } from './country-code';

describe('countryCodeFromNumber', () => {
  it.each([
    ['+905321234567', 'TR'],
    ['00905321234567', 'TR'],
    ['905321234567', 'TR'],
    ['+44 20 7123 4567', 'GB'],
    ['+4930123456', 'DE'],
    ['+12125551234', 'US'],
    ['+14165551234', 'CA'],
    ['+18765551234', 'JM'],
    ['+17871234567', 'PR'],
    ['+74951234567', 'RU'],
    ['+77011234567', 'KZ'],
    ['+35312345678', 'IE'],
    ['+3801234567890', 'UA'],
    ['+97143123456', 'AE'],
  ])('%s → %s (longest prefix)', (number, code) => {
    expect(countryCodeFromNumber(number)).toBe(code);
  });

  it.each([null, '', 'anonymous', '1042', '05321234567', '02122345678', '+0123456789', '+999123456789', '+12'])(
    '%p → null (national, extension, unknown or too short)',
    (number) => {
      expect(countryCodeFromNumber(number)).toBeNull();
    },
  );
});

describe('countryCodeFromName / parseIsoCountryCode', () => {
  it('maps Sippy names, variants and codes', () => {
    expect(countryCodeFromName('TURKEY')).toBe('TR');
    expect(countryCodeFromName('Türkiye')).toBe('TR');
    expect(countryCodeFromName('united kingdom')).toBe('GB');
    expect(countryCodeFromName('gb')).toBe('GB');
    expect(countryCodeFromName('Atlantis')).toBeNull();
    expect(countryCodeFromName(null)).toBeNull();
    expect(parseIsoCountryCode(' tr ')).toBe('TR');
    expect(parseIsoCountryCode('TUR')).toBeNull();
    expect(parseIsoCountryCode(90)).toBeNull();
  });
});

describe('resolveCountryCode', () => {
  it("prefers the switch's ISO field, then the switch's country name, then the callee prefix", () => {
    expect(resolveCountryCode({ iso: 'de', callee: '+905321234567', country: 'TURKEY' })).toBe('DE');
    expect(resolveCountryCode({ iso: null, callee: '+4930123456', country: 'TURKEY' })).toBe('TR');
    expect(resolveCountryCode({ iso: null, callee: '+4930123456', country: null })).toBe('DE');
    expect(resolveCountryCode({ iso: null, callee: '+4930123456', country: 'Atlantis' })).toBe('DE');
    expect(resolveCountryCode({ iso: 'xyz', callee: '1042', country: 'TURKEY' })).toBe('TR');
    expect(resolveCountryCode({ iso: null, callee: null, country: null })).toBeNull();
  });
});

describe('lookupCountryCode', () => {
  it.each([
    ['tr', 'TR'],
    ['Turkey', 'TR'],
    ['Türkiye', 'TR'],
    ['TÜRKİYE', 'TR'],
    ['almanya', 'DE'],
    ['Germany', 'DE'],
    ['Birleşik Krallık', 'GB'],
    ['UNITED KINGDOM', 'GB'],
  ])('%s → %s', (term, code) => {
    expect(lookupCountryCode(term)).toBe(code);
  });

  it('returns null for anything else', () => {
    expect(lookupCountryCode('Atlantis')).toBeNull();
    expect(lookupCountryCode('TUR')).toBeNull();
  });
});
