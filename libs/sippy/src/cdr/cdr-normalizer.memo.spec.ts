import { normalizeCdr, normalizePlaceName } from './cdr-normalizer';
import { countryCodeFromName } from './country-code';

/*
 * The normalizer reuses work between the records of a page: the field plan of the last key list,
 * and memos of place names and country codes (bounded, cleared when full). None of it may change a
 * result: each record must read its own values, whatever came before.
 */
describe('normalizeCdr: work reused between records never leaks between them', () => {
  it('records with the same keys read their own values; other key lists (other case, order) get their own plan', () => {
    const a = normalizeCdr({ i_cdr: 1, cli: '905321111111', country: 'TURKEY', area_name: 'Ankara' });
    const b = normalizeCdr({ i_cdr: 2, cli: '905322222222', country: 'GERMANY', area_name: 'Mobile' });
    const c = normalizeCdr({ I_CDR: 3, CLI: '905323333333', Country: 'FRANCE', AREA_NAME: 'Paris' });
    const d = normalizeCdr({ cli: '905324444444', i_cdr: 4 });
    expect([a.id, a.caller, a.country, a.country_code, a.city]).toEqual(['1', '905321111111', 'Turkey', 'TR', 'Ankara']);
    expect([b.id, b.caller, b.country, b.country_code, b.city]).toEqual(['2', '905322222222', 'Germany', 'DE', null]);
    expect([c.id, c.caller, c.country, c.country_code, c.city]).toEqual(['3', '905323333333', 'France', 'FR', 'Paris']);
    expect([d.id, d.caller, d.country]).toEqual(['4', '905324444444', null]);
  });

  it('keeps answering correctly past the memo limits (5 000 distinct names, then the first ones again)', () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5000; i++) {
        expect(normalizePlaceName(`REGION ${i} OF THE NORTH`)).toBe(`Region ${i} of the North`);
        expect(countryCodeFromName(`NOWHERE ${i}`)).toBeNull();
      }
      expect(countryCodeFromName('TURKEY')).toBe('TR');
      expect(normalizePlaceName('UNITED KINGDOM')).toBe('United Kingdom');
    }
  });
});
