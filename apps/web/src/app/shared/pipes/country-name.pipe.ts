import { Pipe, PipeTransform } from '@angular/core';

const displayNames = new Map<string, Intl.DisplayNames>();

function regionNames(locale: string): Intl.DisplayNames | null {
  let names = displayNames.get(locale);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    } catch {
      return null;
    }
    displayNames.set(locale, names);
  }
  return names;
}

/** "GERMANY" / "united states" → "Germany" / "United States" (Sippy sends upper-case English names). */
function titleCase(name: string): string {
  return name.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_match: string, sep: string, letter: string) => sep + letter.toUpperCase());
}

/**
 * A CDR's country in the UI language: the ISO 3166 code through `Intl.DisplayNames` ("TR" → "Türkiye" in Turkish,
 * "Turkey" in English); without a code, the switch's name, title-cased; without either, "—".
 */
export function countryName(code: string | null | undefined, name: string | null | undefined, locale: string): string {
  for (const candidate of [code, name]) {
    // a code, or a name that is itself a two-letter code (some switches send "TR")
    if (candidate && /^[A-Z]{2}$/.test(candidate)) {
      const localized = regionNames(locale)?.of(candidate);
      if (localized) return localized;
    }
  }
  if (name && name.trim() !== '') return name === name.toUpperCase() ? titleCase(name.trim()) : name.trim();
  return '—';
}

@Pipe({ name: 'countryName' })
export class CountryNamePipe implements PipeTransform {
  transform(cdr: { country: string | null; country_code?: string | null }, locale: string): string {
    return countryName(cdr.country_code, cdr.country, locale);
  }
}
