import { countryName, CountryNamePipe } from './country-name.pipe';

describe('countryName', () => {
  it('names the ISO code in the UI language', () => {
    expect(countryName('DE', 'GERMANY', 'tr-TR')).toBe('Almanya');
    expect(countryName('DE', 'GERMANY', 'en-US')).toBe('Germany');
    expect(countryName('TR', 'TURKEY', 'tr-TR')).toBe('Türkiye');
  });

  it("falls back to the switch's name, title-cased, and to a dash", () => {
    expect(countryName(null, 'UNITED STATES', 'tr-TR')).toBe('United States');
    expect(countryName(undefined, 'Turkey', 'en-US')).toBe('Turkey');
    expect(countryName('zz', null, 'tr-TR')).toBe('—');
    expect(countryName(null, '  ', 'tr-TR')).toBe('—');
    expect(countryName(null, 'TR', 'tr-TR')).toBe('Türkiye'); // a two-letter name is a code
  });

  it('works as a pipe over a CDR', () => {
    expect(new CountryNamePipe().transform({ country: 'GERMANY', country_code: 'DE' }, 'tr-TR')).toBe('Almanya');
  });
});
