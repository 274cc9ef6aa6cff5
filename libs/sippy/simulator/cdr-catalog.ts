/**
 * Static reference data of the simulated switch: rated destinations, customers and accounts.
 * Numbers use real numbering plans (Turkey +90, Germany +49 …); IP addresses come from the
 * documentation ranges (RFC 5737) so nothing points at a real host.
 */

export type DestinationKind = 'tr_mobile' | 'tr_fixed' | 'tr_special' | 'intl';

export interface Destination {
  /** Rated prefix (digits, E.164 without +). */
  prefix: string;
  /** Upper-case country name as Sippy's destination set holds it. */
  country: string;
  /** Destination type: Mobile / Fixed / … */
  description: string;
  /** Area name of the prefix; null is sent as `<nil/>`. */
  areaName: string | null;
  kind: DestinationKind;
  /** Digits that follow the prefix in a full number. */
  subscriberDigits: number;
  /** How a subscriber dials it before translation: national trunk prefix `0` or international `00`. */
  dialPrefix: '0' | '00';
  /** Relative traffic share inside its kind. */
  weight: number;
  /** Tariff (per minute, account currency). */
  price: number;
  interval1: number;
  intervalN: number;
  connectFee: number;
}

function dest(
  prefix: string,
  country: string,
  description: string,
  areaName: string | null,
  kind: DestinationKind,
  subscriberDigits: number,
  weight: number,
  price: number,
  interval1 = 60,
  intervalN = 60,
  connectFee = 0,
): Destination {
  const dialPrefix = country === 'TURKEY' ? '0' : '00';
  return { prefix, country, description, areaName, kind, subscriberDigits, dialPrefix, weight, price, interval1, intervalN, connectFee };
}

/** Turkish mobile operator blocks 530–559 (Turkcell 53x, Vodafone 54x, Türk Telekom 55x). */
const TR_MOBILE: Destination[] = Array.from({ length: 30 }, (_, i) => {
  const block = 530 + i;
  const weight = block < 540 ? 1.4 : block < 550 ? 1.0 : 0.8;
  return dest(`90${block}`, 'TURKEY', 'Mobile', null, 'tr_mobile', 7, weight, 0.0145);
});

const TR_FIXED: Destination[] = [
  dest('90212', 'TURKEY', 'Fixed', 'Istanbul (Europe)', 'tr_fixed', 7, 5, 0.006),
  dest('90216', 'TURKEY', 'Fixed', 'Istanbul (Anatolia)', 'tr_fixed', 7, 3.5, 0.006),
  dest('90312', 'TURKEY', 'Fixed', 'Ankara', 'tr_fixed', 7, 3, 0.006),
  dest('90232', 'TURKEY', 'Fixed', 'Izmir', 'tr_fixed', 7, 2.2, 0.006),
  dest('90224', 'TURKEY', 'Fixed', 'Bursa', 'tr_fixed', 7, 1.2, 0.006),
  dest('90242', 'TURKEY', 'Fixed', 'Antalya', 'tr_fixed', 7, 1.1, 0.006),
  dest('90322', 'TURKEY', 'Fixed', 'Adana', 'tr_fixed', 7, 0.8, 0.006),
  dest('90342', 'TURKEY', 'Fixed', 'Gaziantep', 'tr_fixed', 7, 0.6, 0.006),
  dest('90262', 'TURKEY', 'Fixed', 'Kocaeli', 'tr_fixed', 7, 0.7, 0.006),
  dest('90352', 'TURKEY', 'Fixed', 'Kayseri', 'tr_fixed', 7, 0.4, 0.006),
  dest('90462', 'TURKEY', 'Fixed', 'Trabzon', 'tr_fixed', 7, 0.4, 0.006),
];

const TR_SPECIAL: Destination[] = [
  dest('90444', 'TURKEY', 'Special Services', 'Nationwide 444', 'tr_special', 4, 1, 0.021),
  dest('90850', 'TURKEY', 'Fixed', 'Non-geographic 850', 'tr_special', 7, 0.6, 0.009),
];

const INTL: Destination[] = [
  dest('4930', 'GERMANY', 'Fixed', 'Berlin', 'intl', 8, 1.6, 0.0082, 1, 1),
  dest('4989', 'GERMANY', 'Fixed', 'Munich', 'intl', 8, 1, 0.0082, 1, 1),
  dest('4940', 'GERMANY', 'Fixed', 'Hamburg', 'intl', 8, 0.8, 0.0082, 1, 1),
  dest('4915', 'GERMANY', 'Mobile', null, 'intl', 9, 1.4, 0.034, 1, 1),
  dest('4916', 'GERMANY', 'Mobile', null, 'intl', 9, 1, 0.034, 1, 1),
  dest('4917', 'GERMANY', 'Mobile', null, 'intl', 9, 1.2, 0.034, 1, 1),
  dest('4420', 'UNITED KINGDOM', 'Fixed', 'London', 'intl', 8, 1.2, 0.0071, 1, 1),
  dest('44161', 'UNITED KINGDOM', 'Fixed', 'Manchester', 'intl', 7, 0.4, 0.0071, 1, 1),
  dest('447', 'UNITED KINGDOM', 'Mobile', null, 'intl', 9, 1.2, 0.0152, 1, 1),
  dest('1212', 'UNITED STATES', 'Fixed', 'New York', 'intl', 7, 0.8, 0.0041, 6, 6),
  dest('1213', 'UNITED STATES', 'Fixed', 'Los Angeles', 'intl', 7, 0.4, 0.0041, 6, 6),
  dest('1305', 'UNITED STATES', 'Fixed', 'Miami', 'intl', 7, 0.3, 0.0041, 6, 6),
  dest('3120', 'NETHERLANDS', 'Fixed', 'Amsterdam', 'intl', 7, 0.7, 0.0098, 1, 1),
  dest('316', 'NETHERLANDS', 'Mobile', null, 'intl', 8, 0.8, 0.041, 1, 1),
  dest('99412', 'AZERBAIJAN', 'Fixed', 'Baku', 'intl', 7, 0.7, 0.118, 1, 1),
  dest('99450', 'AZERBAIJAN', 'Mobile', null, 'intl', 7, 0.6, 0.152, 1, 1),
  dest('99455', 'AZERBAIJAN', 'Mobile', null, 'intl', 7, 0.5, 0.152, 1, 1),
  dest('99470', 'AZERBAIJAN', 'Mobile', null, 'intl', 7, 0.4, 0.152, 1, 1),
  dest('7495', 'RUSSIA', 'Fixed', 'Moscow', 'intl', 7, 0.7, 0.029, 1, 1),
  dest('7812', 'RUSSIA', 'Fixed', 'Saint Petersburg', 'intl', 7, 0.3, 0.029, 1, 1),
  dest('79', 'RUSSIA', 'Mobile', null, 'intl', 9, 0.9, 0.088, 1, 1),
  dest('331', 'FRANCE', 'Fixed', 'Paris', 'intl', 8, 0.3, 0.0088, 1, 1),
  dest('336', 'FRANCE', 'Mobile', null, 'intl', 8, 0.3, 0.032, 1, 1),
  dest('9665', 'SAUDI ARABIA', 'Mobile', null, 'intl', 8, 0.3, 0.11, 1, 1),
];

export const DESTINATIONS: Readonly<Record<DestinationKind, readonly Destination[]>> = {
  tr_mobile: TR_MOBILE,
  tr_fixed: TR_FIXED,
  tr_special: TR_SPECIAL,
  intl: INTL,
};

/** Longest-prefix match of a full number (digits) against the destination table. */
export function findDestination(number: string): Destination | undefined {
  let best: Destination | undefined;
  for (const list of Object.values(DESTINATIONS)) {
    for (const d of list) {
      if (number.startsWith(d.prefix) && (!best || d.prefix.length > best.prefix.length)) best = d;
    }
  }
  return best;
}

export interface SimCustomer {
  i_customer: number;
  name: string;
  web_login: string;
  /** Parent customer (1 = root). null for the root itself. */
  i_wholesaler: number | null;
  /** What the parent charges this customer, as a share of the account-level cost. */
  wholesaleFactor: number;
}

export const ROOT_CUSTOMER_ID = 1;

export const CUSTOMERS: readonly SimCustomer[] = [
  { i_customer: 1, name: 'Velora Telekom A.Ş.', web_login: 'ssp-root', i_wholesaler: null, wholesaleFactor: 1 },
  { i_customer: 2, name: 'Anadolu İletişim Bayi', web_login: 'anadolu-bayi', i_wholesaler: 1, wholesaleFactor: 0.82 },
  { i_customer: 3, name: 'Ege VoIP Ltd. Şti.', web_login: 'ege-voip', i_wholesaler: 1, wholesaleFactor: 0.78 },
];

export interface TrafficMix {
  tr_mobile: number;
  tr_fixed: number;
  tr_special: number;
  intl: number;
}

export interface SimAccount {
  i_account: number;
  i_customer: number;
  username: string;
  description: string;
  /** Account's own numbers (DIDs / presented CLIs), full E.164 digits. */
  numbers: string[];
  remoteIp: string;
  userAgent: string;
  protocol: 'SIP' | 'H.323';
  /** Share of all generated calls. 0 = idle account. */
  weight: number;
  mix: TrafficMix;
  /** Share of this account's calls that are inbound (to one of its numbers). */
  inboundShare: number;
  /** International-leaning accounts bias the intl mix towards these countries. */
  favouriteCountries?: string[];
  base_currency: 'USD' | 'EUR' | 'TRY';
  /** listAccounts sign (getAccountInfo inverts it). */
  balance: number;
  credit_limit: number;
  blocked: boolean;
  registered: boolean;
  /** Makes the occasional night-time dialer bursts (spam pattern). */
  dialer?: boolean;
  i_time_zone: number;
  i_lang: string;
}

const MIX_OFFICE: TrafficMix = { tr_mobile: 0.52, tr_fixed: 0.33, tr_special: 0.05, intl: 0.1 };
const MIX_CALL_CENTER: TrafficMix = { tr_mobile: 0.7, tr_fixed: 0.25, tr_special: 0.02, intl: 0.03 };
const MIX_EXPORT: TrafficMix = { tr_mobile: 0.25, tr_fixed: 0.15, tr_special: 0.02, intl: 0.58 };
const MIX_TRUNK: TrafficMix = { tr_mobile: 0.15, tr_fixed: 0.05, tr_special: 0, intl: 0.8 };

export const ACCOUNTS: readonly SimAccount[] = [
  {
    i_account: 1042, i_customer: 1, username: 'ist-cagri-merkezi', description: 'İstanbul Çağrı Merkezi (Issabel)',
    numbers: ['902123456700', '902123456701', '902123456702', '908502220011'], remoteIp: '203.0.113.45',
    userAgent: 'Asterisk PBX 18.20.2', protocol: 'SIP', weight: 5, mix: MIX_CALL_CENTER, inboundShare: 0.25,
    base_currency: 'USD', balance: 1843.27, credit_limit: 5000, blocked: false, registered: true, i_time_zone: 294, i_lang: 'tr',
  },
  {
    i_account: 1043, i_customer: 1, username: 'ankara-ofis', description: 'Ankara Merkez Ofis',
    numbers: ['903124567890', '903124567891'], remoteIp: '198.51.100.20',
    userAgent: 'Yealink SIP-T46S 66.86.0.15', protocol: 'SIP', weight: 2, mix: MIX_OFFICE, inboundShare: 0.3,
    base_currency: 'USD', balance: 212.5, credit_limit: 500, blocked: false, registered: true, i_time_zone: 294, i_lang: 'tr',
  },
  {
    i_account: 1044, i_customer: 1, username: 'izmir-lojistik', description: 'İzmir Lojistik',
    numbers: ['902324441212'], remoteIp: '198.51.100.77',
    userAgent: 'Grandstream GXP1625 1.0.11.23', protocol: 'SIP', weight: 1.5, mix: MIX_OFFICE, inboundShare: 0.2,
    base_currency: 'TRY', balance: 9650, credit_limit: 20000, blocked: false, registered: true, i_time_zone: 294, i_lang: 'tr',
  },
  {
    i_account: 1045, i_customer: 1, username: 'bursa-tekstil', description: 'Bursa Tekstil İhracat',
    numbers: ['902242233445'], remoteIp: '192.0.2.15',
    userAgent: '3CX Phone System 18.0.9.20', protocol: 'SIP', weight: 1.5, mix: MIX_EXPORT, inboundShare: 0.15,
    favouriteCountries: ['GERMANY', 'NETHERLANDS', 'UNITED KINGDOM'],
    base_currency: 'EUR', balance: 431.9, credit_limit: 1000, blocked: false, registered: true, i_time_zone: 294, i_lang: 'tr',
  },
  {
    i_account: 1046, i_customer: 1, username: 'antalya-otel', description: 'Antalya Sahil Otel',
    numbers: ['902423219900', '902423219901'], remoteIp: '192.0.2.88',
    userAgent: 'Grandstream UCM6302 1.0.23.9', protocol: 'SIP', weight: 1.5, mix: MIX_EXPORT, inboundShare: 0.2,
    favouriteCountries: ['GERMANY', 'RUSSIA', 'UNITED KINGDOM'],
    base_currency: 'EUR', balance: 77.4, credit_limit: 300, blocked: false, registered: false, i_time_zone: 294, i_lang: 'en',
  },
  {
    i_account: 1047, i_customer: 1, username: '905321234567', description: 'Ahmet Yılmaz (softphone)',
    numbers: ['905321234567'], remoteIp: '203.0.113.130',
    userAgent: 'MicroSIP/3.21.4', protocol: 'SIP', weight: 0.4, mix: MIX_OFFICE, inboundShare: 0.1,
    base_currency: 'TRY', balance: 154.2, credit_limit: 0, blocked: false, registered: true, i_time_zone: 294, i_lang: 'tr',
  },
  {
    i_account: 1048, i_customer: 1, username: 'baku-trunk', description: 'Bakı toptan trunk',
    numbers: ['994125550100'], remoteIp: '203.0.113.201',
    userAgent: 'FreeSWITCH-mod_sofia/1.10.11-release~64bit', protocol: 'SIP', weight: 2, mix: MIX_TRUNK, inboundShare: 0,
    favouriteCountries: ['AZERBAIJAN', 'RUSSIA'],
    base_currency: 'USD', balance: 3120.05, credit_limit: 10000, blocked: false, registered: false, i_time_zone: 272, i_lang: 'en',
  },
  {
    i_account: 1049, i_customer: 1, username: 'otomatik-arama', description: 'Kampanya otomatik arama',
    numbers: ['908503330044'], remoteIp: '192.0.2.200',
    userAgent: 'Asterisk PBX 16.30.1', protocol: 'SIP', weight: 0.3, mix: MIX_CALL_CENTER, inboundShare: 0,
    base_currency: 'USD', balance: 18.75, credit_limit: 100, blocked: false, registered: true, dialer: true, i_time_zone: 294, i_lang: 'tr',
  },
  {
    i_account: 1050, i_customer: 1, username: 'test-hesap', description: 'Test hesabı (kapalı)',
    numbers: ['902129990000'], remoteIp: '198.51.100.250',
    userAgent: 'Zoiper rv2.10.20.3', protocol: 'SIP', weight: 0, mix: MIX_OFFICE, inboundShare: 0,
    base_currency: 'USD', balance: 0, credit_limit: 0, blocked: true, registered: false, i_time_zone: 294, i_lang: 'tr',
  },
  {
    i_account: 1051, i_customer: 1, username: 'kocaeli-fabrika', description: 'Kocaeli Fabrika (H.323 ağ geçidi)',
    numbers: ['902623114500'], remoteIp: '198.51.100.33',
    userAgent: 'Cisco-SIPGateway/IOS-15.7.3', protocol: 'H.323', weight: 0.6, mix: MIX_OFFICE, inboundShare: 0.2,
    base_currency: 'TRY', balance: 2480, credit_limit: 5000, blocked: false, registered: false, i_time_zone: 294, i_lang: 'tr',
  },
  {
    i_account: 2101, i_customer: 2, username: 'anadolu-0001', description: 'Anadolu bayi müşterisi 1',
    numbers: ['903522223344'], remoteIp: '203.0.113.160',
    userAgent: 'Yealink SIP-T31P 124.86.0.40', protocol: 'SIP', weight: 1.4, mix: MIX_OFFICE, inboundShare: 0.2,
    base_currency: 'TRY', balance: 640, credit_limit: 1000, blocked: false, registered: true, i_time_zone: 294, i_lang: 'tr',
  },
  {
    i_account: 2102, i_customer: 2, username: 'anadolu-0002', description: 'Anadolu bayi müşterisi 2',
    numbers: ['904623334455'], remoteIp: '203.0.113.161',
    userAgent: 'Fanvil X4U 2.12.1', protocol: 'SIP', weight: 0.8, mix: MIX_CALL_CENTER, inboundShare: 0.2,
    base_currency: 'TRY', balance: 95, credit_limit: 500, blocked: false, registered: false, i_time_zone: 294, i_lang: 'tr',
  },
  {
    i_account: 3101, i_customer: 3, username: 'ege-sip-01', description: 'Ege VoIP santral',
    numbers: ['902325556677'], remoteIp: '192.0.2.140',
    userAgent: 'Issabel PBX (Asterisk 16.25.0)', protocol: 'SIP', weight: 1, mix: MIX_EXPORT, inboundShare: 0.25,
    favouriteCountries: ['GERMANY', 'NETHERLANDS'],
    base_currency: 'USD', balance: 1204.6, credit_limit: 2000, blocked: false, registered: true, i_time_zone: 294, i_lang: 'tr',
  },
];

export function findAccount(iAccount: number): SimAccount | undefined {
  return ACCOUNTS.find((a) => a.i_account === iAccount);
}

/**
 * Call volume by local hour in Turkey (UTC+3), mean 1. Night is quiet, office hours peak.
 */
const HOURLY_PROFILE_RAW = [
  0.12, 0.08, 0.06, 0.05, 0.05, 0.08, 0.22, 0.55, 1.15, 1.65, 1.85, 1.9, 1.55, 1.7, 1.85, 1.8, 1.6, 1.35, 1.05, 0.85,
  0.75, 0.6, 0.4, 0.22,
];
const PROFILE_MEAN = HOURLY_PROFILE_RAW.reduce((s, v) => s + v, 0) / HOURLY_PROFILE_RAW.length;
export const TURKEY_UTC_OFFSET_HOURS = 3;

export function trafficFactor(epochMs: number): number {
  const localHour = (new Date(epochMs).getUTCHours() + TURKEY_UTC_OFFSET_HOURS) % 24;
  return HOURLY_PROFILE_RAW[localHour] / PROFILE_MEAN;
}

export function isNightInTurkey(epochMs: number): boolean {
  const localHour = (new Date(epochMs).getUTCHours() + TURKEY_UTC_OFFSET_HOURS) % 24;
  return localHour < 6;
}
