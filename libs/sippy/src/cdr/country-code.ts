/**
 * ISO 3166-1 alpha-2 country codes for CDRs: from the switch's `country_iso`, else Sippy's upper-case English
 * country name, else the callee's E.164 calling code (longest prefix match).
 *
 * Limits (documented in docs/cdr-normalization.md):
 * - The prefix table is compact: one entry per calling code, plus the NANP area codes of the
 *   non-US members and Kazakhstan's +76/+77. `+1` without a known non-US area code is `US`;
 *   `+7` is `RU` unless `76`/`77` (KZ).
 * - Only numbers in international form are read: a leading `+` or `00`, or 11+ digits. National
 *   numbers (`0532…`) and extensions give no code.
 * - Shared codes (+44 for GB/GG/JE/IM, +47 for NO/SJ, +590 …) give the main country.
 */

/** Calling code (digits) → ISO 3166-1 alpha-2. */
export const CALLING_CODE_TO_ISO: Readonly<Partial<Record<string, string>>> = Object.freeze({
  // NANP (+1): non-US members by area code; the rest is US (Canada listed by its area codes).
  '1': 'US',
  ...Object.fromEntries(
    [
      '204', '226', '236', '249', '250', '263', '289', '306', '343', '354', '365', '367', '368', '382', '403', '416',
      '418', '428', '431', '437', '438', '450', '468', '474', '506', '514', '519', '548', '579', '581', '584', '587',
      '604', '613', '639', '647', '672', '683', '705', '709', '742', '753', '778', '780', '782', '807', '819', '825',
      '867', '873', '879', '902', '905',
    ].map((area) => [`1${area}`, 'CA']),
  ),
  '1242': 'BS', '1246': 'BB', '1264': 'AI', '1268': 'AG', '1284': 'VG', '1340': 'VI', '1345': 'KY', '1441': 'BM',
  '1473': 'GD', '1649': 'TC', '1658': 'JM', '1664': 'MS', '1670': 'MP', '1671': 'GU', '1684': 'AS', '1721': 'SX',
  '1758': 'LC', '1767': 'DM', '1784': 'VC', '1787': 'PR', '1809': 'DO', '1829': 'DO', '1849': 'DO', '1868': 'TT',
  '1869': 'KN', '1876': 'JM', '1939': 'PR',
  '7': 'RU', '76': 'KZ', '77': 'KZ',
  '20': 'EG', '27': 'ZA', '30': 'GR', '31': 'NL', '32': 'BE', '33': 'FR', '34': 'ES', '36': 'HU', '39': 'IT',
  '40': 'RO', '41': 'CH', '43': 'AT', '44': 'GB', '45': 'DK', '46': 'SE', '47': 'NO', '48': 'PL', '49': 'DE',
  '51': 'PE', '52': 'MX', '53': 'CU', '54': 'AR', '55': 'BR', '56': 'CL', '57': 'CO', '58': 'VE', '60': 'MY',
  '61': 'AU', '62': 'ID', '63': 'PH', '64': 'NZ', '65': 'SG', '66': 'TH', '81': 'JP', '82': 'KR', '84': 'VN',
  '86': 'CN', '90': 'TR', '91': 'IN', '92': 'PK', '93': 'AF', '94': 'LK', '95': 'MM', '98': 'IR',
  '211': 'SS', '212': 'MA', '213': 'DZ', '216': 'TN', '218': 'LY', '220': 'GM', '221': 'SN', '222': 'MR',
  '223': 'ML', '224': 'GN', '225': 'CI', '226': 'BF', '227': 'NE', '228': 'TG', '229': 'BJ', '230': 'MU',
  '231': 'LR', '232': 'SL', '233': 'GH', '234': 'NG', '235': 'TD', '236': 'CF', '237': 'CM', '238': 'CV',
  '239': 'ST', '240': 'GQ', '241': 'GA', '242': 'CG', '243': 'CD', '244': 'AO', '245': 'GW', '248': 'SC',
  '249': 'SD', '250': 'RW', '251': 'ET', '252': 'SO', '253': 'DJ', '254': 'KE', '255': 'TZ', '256': 'UG',
  '257': 'BI', '258': 'MZ', '260': 'ZM', '261': 'MG', '262': 'RE', '263': 'ZW', '264': 'NA', '265': 'MW',
  '266': 'LS', '267': 'BW', '268': 'SZ', '269': 'KM', '290': 'SH', '291': 'ER', '297': 'AW', '298': 'FO',
  '299': 'GL', '350': 'GI', '351': 'PT', '352': 'LU', '353': 'IE', '354': 'IS', '355': 'AL', '356': 'MT',
  '357': 'CY', '358': 'FI', '359': 'BG', '370': 'LT', '371': 'LV', '372': 'EE', '373': 'MD', '374': 'AM',
  '375': 'BY', '376': 'AD', '377': 'MC', '378': 'SM', '380': 'UA', '381': 'RS', '382': 'ME', '383': 'XK',
  '385': 'HR', '386': 'SI', '387': 'BA', '389': 'MK', '420': 'CZ', '421': 'SK', '423': 'LI', '500': 'FK',
  '501': 'BZ', '502': 'GT', '503': 'SV', '504': 'HN', '505': 'NI', '506': 'CR', '507': 'PA', '508': 'PM',
  '509': 'HT', '590': 'GP', '591': 'BO', '592': 'GY', '593': 'EC', '594': 'GF', '595': 'PY', '596': 'MQ',
  '597': 'SR', '598': 'UY', '599': 'CW', '670': 'TL', '673': 'BN', '674': 'NR', '675': 'PG', '676': 'TO',
  '677': 'SB', '678': 'VU', '679': 'FJ', '680': 'PW', '685': 'WS', '686': 'KI', '687': 'NC', '689': 'PF',
  '691': 'FM', '692': 'MH', '850': 'KP', '852': 'HK', '853': 'MO', '855': 'KH', '856': 'LA', '880': 'BD',
  '886': 'TW', '960': 'MV', '961': 'LB', '962': 'JO', '963': 'SY', '964': 'IQ', '965': 'KW', '966': 'SA',
  '967': 'YE', '968': 'OM', '970': 'PS', '971': 'AE', '972': 'IL', '973': 'BH', '974': 'QA', '975': 'BT',
  '976': 'MN', '977': 'NP', '992': 'TJ', '993': 'TM', '994': 'AZ', '995': 'GE', '996': 'KG', '998': 'UZ',
});

const MAX_PREFIX = 4;

/**
 * ISO code of an E.164 number by its calling code (longest prefix match), or null.
 * Accepts `+90…`, `0090…` and bare international digits of 11 to 15 digits; separators ignored.
 */
export function countryCodeFromNumber(number: string | null | undefined): string | null {
  if (typeof number !== 'string') {
    return null;
  }
  const trimmed = number.trim();
  const digitsOnly = trimmed.replace(/[\s().-]/g, '');
  let digits: string;
  if (digitsOnly.startsWith('+')) {
    digits = digitsOnly.slice(1);
  } else if (digitsOnly.startsWith('00')) {
    digits = digitsOnly.slice(2);
  } else if (/^[1-9]\d{10,14}$/.test(digitsOnly)) {
    digits = digitsOnly;
  } else {
    return null;
  }
  if (!/^[1-9]\d{6,14}$/.test(digits)) {
    return null;
  }
  for (let length = MAX_PREFIX; length >= 1; length--) {
    const code = CALLING_CODE_TO_ISO[digits.slice(0, length)];
    if (code !== undefined) {
      return code;
    }
  }
  return null;
}

/** Sippy's upper-case English names (and common variants) → ISO code. Keys are normalized with {@link nameKey}. */
const NAME_TO_ISO: ReadonlyMap<string, string> = new Map(
  Object.entries({
    TURKEY: 'TR', TURKIYE: 'TR', GERMANY: 'DE', FRANCE: 'FR', BELGIUM: 'BE', NETHERLANDS: 'NL', 'UNITED KINGDOM': 'GB',
    'GREAT BRITAIN': 'GB', UK: 'GB', 'UNITED STATES': 'US', USA: 'US', 'UNITED STATES OF AMERICA': 'US', CANADA: 'CA',
    RUSSIA: 'RU', 'RUSSIAN FEDERATION': 'RU', KAZAKHSTAN: 'KZ', SPAIN: 'ES', ITALY: 'IT', AUSTRIA: 'AT',
    SWITZERLAND: 'CH', POLAND: 'PL', GREECE: 'GR', CYPRUS: 'CY', BULGARIA: 'BG', ROMANIA: 'RO', UKRAINE: 'UA',
    AZERBAIJAN: 'AZ', GEORGIA: 'GE', IRAN: 'IR', IRAQ: 'IQ', SYRIA: 'SY', EGYPT: 'EG', 'SAUDI ARABIA': 'SA',
    'UNITED ARAB EMIRATES': 'AE', UAE: 'AE', ISRAEL: 'IL', SWEDEN: 'SE', NORWAY: 'NO', DENMARK: 'DK', FINLAND: 'FI',
    IRELAND: 'IE', PORTUGAL: 'PT', CHINA: 'CN', INDIA: 'IN', JAPAN: 'JP', 'SOUTH KOREA': 'KR', 'KOREA, REPUBLIC OF': 'KR',
    BRAZIL: 'BR', MEXICO: 'MX', ARGENTINA: 'AR', AUSTRALIA: 'AU', 'SOUTH AFRICA': 'ZA', MOROCCO: 'MA', ALGERIA: 'DZ',
    TUNISIA: 'TN', PAKISTAN: 'PK', AFGHANISTAN: 'AF', 'CZECH REPUBLIC': 'CZ', CZECHIA: 'CZ', HUNGARY: 'HU',
    SERBIA: 'RS', CROATIA: 'HR', 'BOSNIA AND HERZEGOVINA': 'BA', ALBANIA: 'AL', 'NORTH MACEDONIA': 'MK',
    MACEDONIA: 'MK', KOSOVO: 'XK', MOLDOVA: 'MD', BELARUS: 'BY', ARMENIA: 'AM', LEBANON: 'LB', JORDAN: 'JO',
    KUWAIT: 'KW', QATAR: 'QA', BAHRAIN: 'BH', OMAN: 'OM', LUXEMBOURG: 'LU', NIGERIA: 'NG', KENYA: 'KE',
    INDONESIA: 'ID', PHILIPPINES: 'PH', THAILAND: 'TH', VIETNAM: 'VN', 'VIET NAM': 'VN', MALAYSIA: 'MY',
    SINGAPORE: 'SG', 'NEW ZEALAND': 'NZ', TURKMENISTAN: 'TM', UZBEKISTAN: 'UZ', KYRGYZSTAN: 'KG', TAJIKISTAN: 'TJ',
  }).map(([name, code]) => [nameKey(name), code]),
);

function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

/** An ISO 3166-1 alpha-2 shape (two letters), upper-cased, or null. */
export function parseIsoCountryCode(value: unknown): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  const trimmed = value.trim();
  return /^[A-Za-z]{2}$/.test(trimmed) ? trimmed.toUpperCase() : null;
}

/** Codes of the names seen lately (a page repeats a handful of names); cleared when full. */
const codeByName = new Map<string, string | null>();
const CODE_BY_NAME_LIMIT = 2048;

/** ISO code of an English country name (as Sippy writes it: `TURKEY`, `UNITED KINGDOM`), or null. */
export function countryCodeFromName(name: string | null | undefined): string | null {
  if (typeof name !== 'string' || name.trim() === '') {
    return null;
  }
  const known = codeByName.get(name);
  if (known !== undefined) {
    return known;
  }
  const iso = parseIsoCountryCode(name);
  const code = iso ?? NAME_TO_ISO.get(nameKey(name)) ?? null;
  if (codeByName.size >= CODE_BY_NAME_LIMIT) {
    codeByName.clear();
  }
  codeByName.set(name, code);
  return code;
}

/**
 * The resolution order of the normalizer: the switch's own fields first (its ISO field, then its country name — the
 * destination of its rate table, which knows more than our compact prefix table), then the callee's calling code.
 */
export function resolveCountryCode(input: {
  iso: unknown;
  callee: string | null;
  country: string | null;
}): string | null {
  return parseIsoCountryCode(input.iso) ?? countryCodeFromName(input.country) ?? countryCodeFromNumber(input.callee);
}

/** Deprecated, reserved and grouping codes that ICU still names (DD = East Germany, EU, UN, ZZ …). */
const NOT_COUNTRIES = new Set(['AA', 'AN', 'BU', 'CS', 'DD', 'EU', 'EZ', 'FX', 'NT', 'SU', 'TP', 'UK', 'UN', 'YU', 'ZR', 'ZZ']);

let displayNameIndex: ReadonlyMap<string, string> | undefined;

/** English and Turkish region names (Intl.DisplayNames, built once) → ISO code. */
function displayNames(): ReadonlyMap<string, string> {
  if (displayNameIndex === undefined) {
    const index = new Map<string, string>();
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (const locale of ['en', 'tr']) {
      let names: Intl.DisplayNames;
      try {
        names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
      } catch {
        continue; // a Node without ICU data: the static table still answers
      }
      for (const first of letters) {
        for (const second of letters) {
          const code = first + second;
          if (NOT_COUNTRIES.has(code) || ((first === 'Q' || first === 'X') && code !== 'XK')) {
            continue;
          }
          const name = names.of(code);
          if (name !== undefined && name !== code && !index.has(nameKey(name))) {
            index.set(nameKey(name), code);
          }
        }
      }
    }
    displayNameIndex = index;
  }
  return displayNameIndex;
}

/**
 * The ISO code a user's country filter means: a 2-letter code (`tr`), or a country name in English
 * or Turkish (`Germany`, `Almanya`, `TURKEY`, `Türkiye`), case- and accent-insensitive. Null when
 * it is none of these (the caller then matches the stored name as text).
 */
export function lookupCountryCode(term: string): string | null {
  return parseIsoCountryCode(term) ?? NAME_TO_ISO.get(nameKey(term)) ?? displayNames().get(nameKey(term)) ?? null;
}
