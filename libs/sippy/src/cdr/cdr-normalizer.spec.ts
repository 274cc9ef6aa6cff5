import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeMethodResponse } from '../codec/xml-rpc-decoder';
import { XmlRpcI8, isXmlRpcStruct } from '../codec/xml-rpc.types';
import { CDR_FIELDS, CDR_DIRECTIONS, CDR_STATUSES, type Cdr, type RawCdr } from './cdr.model';
import { CdrNormalizationError } from './cdr-normalization.error';
import {
  CDR_FIELD_ALIASES,
  CdrNormalizer,
  normalizeCdr,
  normalizeCdrId,
  normalizePhoneNumber,
  normalizePlaceName,
  parseCdrNumber,
} from './cdr-normalizer';
import {
  ACCOUNT_CDRS_EXAMPLE,
  ANSWERED_ACCOUNT_CDR,
  BUSY_ACCOUNT_CDR,
  INSUFFICIENT_BALANCE_ACCOUNT_CDR,
} from './fixtures/account-cdrs.fixture';

const CDR_KEYS: readonly (keyof Cdr)[] = CDR_FIELDS;

/** What `fn` throws (undefined when it returns), for matching the error's fields. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

const norm = (record: RawCdr, options = {}): Cdr => normalizeCdr({ i_cdr: 1, ...record }, options);

describe('normalizeCdr — docs §10 example', () => {
  it('normalizes the answered call', () => {
    expect(normalizeCdr(ANSWERED_ACCOUNT_CDR, { defaultCurrency: 'eur' })).toEqual({
      id: '418238747',
      call_id: '7c1e5a2f-3b9d-4e61-a0d4-5f2b8c91e3aa@198.51.100.20',
      caller: '905321234567',
      callee: '902122345678',
      start_time: '2026-11-24T10:03:12.000Z',
      end_time: '2026-11-24T10:05:07.000Z',
      setup_time: null,
      duration: 114.87321,
      billed_duration: 120,
      status: 'completed',
      result: 0,
      sip_code: 200,
      disconnect_reason: 'OK',
      release_source: 'caller',
      direction: 'outbound',
      country: 'Turkey',
      country_code: 'TR',
      city: 'Istanbul',
      cost: 0.024,
      currency: 'EUR',
      trunk: null,
      codec: null,
      account: '1042',
      remote_ip: '203.0.113.45',
    } satisfies Cdr);
  });

  it('normalizes the busy call (no city: area_name is nil and description is "Mobile")', () => {
    expect(normalizeCdr(BUSY_ACCOUNT_CDR)).toMatchObject({
      id: '418238751',
      caller: '905321234567',
      callee: '905449876543',
      start_time: '2026-11-24T10:07:41.000Z',
      end_time: '2026-11-24T10:07:41.000Z',
      duration: 0,
      billed_duration: 0,
      status: 'busy',
      result: 486,
      sip_code: 486,
      disconnect_reason: 'Busy Here',
      release_source: 'callee',
      country: 'Turkey',
      city: null,
      cost: 0,
      currency: null,
    });
  });

  it('normalizes the internal reject', () => {
    expect(normalizeCdr(INSUFFICIENT_BALANCE_ACCOUNT_CDR)).toMatchObject({
      id: '418238760',
      callee: '4915112345678',
      status: 'rejected',
      result: -20,
      sip_code: null,
      disconnect_reason: 'Insufficient balance',
      country: 'Germany',
      city: null,
      release_source: null,
      remote_ip: null,
    });
  });

  it('returns every key for each fixture', () => {
    for (const raw of ACCOUNT_CDRS_EXAMPLE) {
      expect(Object.keys(normalizeCdr(raw)).sort()).toEqual([...CDR_KEYS].sort());
    }
  });
});

describe('normalizeCdr — id', () => {
  it.each([
    [{ i_cdr: 418238747 }, '418238747'],
    [{ i_cdr: '418238747' }, '418238747'],
    [{ i_cdr: ' 0000418238747 ' }, '418238747'],
    [{ i_cdr: '98765432109876543210' }, '98765432109876543210'],
    [{ i_cdr: BigInt('9223372036854775807') }, '9223372036854775807'],
    [{ i_cdr: new XmlRpcI8('4294967296') }, '4294967296'],
    [{ id: 5 }, '5'],
    [{ ID: '6' }, '6'],
    [{ Id: 7 }, '7'],
    [{ cdr_id: '8' }, '8'],
    [{ i_cdrs_customer: '9' }, '9'],
    [{ I_CDR: 10 }, '10'],
    [{ i_cdr: 11, id: 12, cdr_id: 13 }, '11'],
    [{ i_cdr: '', id: 12 }, '12'],
    [{ i_cdr: null, id: '<nil/>', cdr_id: 13 }, '13'],
    [{ i_cdr: 'abc', id: 14 }, '14'],
    [{ i_call: '418241422', i_customer: 3 }, '418241422:3'],
    [{ i_call: 418241422, i_customer: '3', call_id: 'x' }, '418241422:3'],
    // opaque string ids, only when no numeric id exists
    [{ ID: ' 1-2997@198.51.100.20 ' }, '1-2997@198.51.100.20'],
    [{ id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479' }, 'f47ac10b-58cc-4372-a567-0e02b2c3d479'],
    [{ id: 'abc-123', cdr_id: 15 }, '15'],
    [{ id: 'abc-123', i_call: '7', i_customer: '3' }, '7:3'],
  ])('%p → %s', (record, expected) => {
    expect(normalizeCdr(record).id).toBe(expected);
  });

  it('honours idFields and still falls back to i_call:i_customer', () => {
    const record = { i_cdr: 1, i_cdrs_customer: 2, i_call: 3, i_customer: 4 };
    expect(normalizeCdr(record, { idFields: ['i_cdrs_customer'] }).id).toBe('2');
    expect(normalizeCdr(record, { idFields: ['nope'] }).id).toBe('3:4');
  });

  it.each([
    [{}],
    [{ i_cdr: null }],
    [{ i_cdr: '' }],
    [{ i_cdr: '<nil/>' }],
    [{ i_cdr: 0 }],
    [{ i_cdr: -5 }],
    [{ i_cdr: 1.5 }],
    [{ i_cdr: 2 ** 53 }], // precision already lost
    [{ i_cdr: '-5' }],
    [{ i_cdr: '1.5' }],
    [{ i_cdr: 'has space' }],
    [{ i_cdr: 'x'.repeat(201) }],
    [{ i_cdr: true }],
    [{ i_call: '418241422' }], // no i_customer
    [{ i_customer: 3 }],
    [{ cli: '905321234567', result: 0 }],
  ])('%p → CdrNormalizationError missing_id', (record) => {
    let thrown: unknown;
    try {
      normalizeCdr(record);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CdrNormalizationError);
    expect((thrown as CdrNormalizationError).reason).toBe('missing_id');
    expect((thrown as CdrNormalizationError).recordKeys).toEqual(Object.keys(record));
  });

  it('never puts field values (phone numbers) in the error message', () => {
    const thrown = thrownBy(() => normalizeCdr({ cli: '905321234567', cld: '902122345678' }));
    expect(thrown).toBeInstanceOf(CdrNormalizationError);
    expect((thrown as CdrNormalizationError).message).not.toContain('9053');
  });

  it.each([null, 'x', 5, [], new Date()])('rejects a non-object record %p as invalid_record', (record) => {
    expect(thrownBy(() => normalizeCdr(record as unknown as RawCdr))).toMatchObject({
      name: 'CdrNormalizationError',
      reason: 'invalid_record',
    });
  });
});

describe('normalizeCdr — call id, numbers', () => {
  it.each(['call_id', 'CALL_ID', 'callid', 'sip_call_id'])('call_id from %s', (field) => {
    expect(norm({ [field]: ' abc@host ' }).call_id).toBe('abc@host');
  });

  it.each(['cli', 'CLI', 'from_number', 'caller', 'src', 'caller_id', 'calling_number', 'ani', 'cli_in'])(
    'caller from %s',
    (field) => {
      expect(norm({ [field]: '905321234567' }).caller).toBe('905321234567');
    },
  );

  it.each(['cld', 'CLD', 'to_number', 'callee', 'dst', 'called_number', 'dnis', 'cld_in'])(
    'callee from %s',
    (field) => {
      expect(norm({ [field]: '902122345678' }).callee).toBe('902122345678');
    },
  );

  it('uses cli_in/cld_in only when the translated numbers are missing', () => {
    expect(norm({ cli: '905321234567', cli_in: '05321234567' }).caller).toBe('905321234567');
    expect(norm({ cli: '', cli_in: '05321234567' }).caller).toBe('05321234567');
    expect(norm({ cld: null, cld_in: '02122345678' }).callee).toBe('02122345678');
  });

  it.each([
    [' 905321234567 ', '905321234567'],
    ['+905321234567', '+905321234567'],
    ['05321234567', '05321234567'],
    ['sip:905321234567@198.51.100.20', '905321234567'],
    ['sips:+905321234567@host;user=phone', '+905321234567'],
    ['SIP:100@pbx.local:5060', '100'],
    ['tel:+1-201-555-0123', '+12015550123'],
    ['tel:+12015550123;ext=1', '+12015550123'],
    ['"Alice" <sip:+4915112345678@example.net>', '+4915112345678'],
    ['+90 (532) 123 45 67', '+905321234567'],
    ['anonymous', 'anonymous'],
    ['sip:alice@example.net', 'alice'],
    [905321234567, '905321234567'],
    ['', null],
    ['   ', null],
    ['<nil/>', null],
    ['sip:@host', null],
    ['+', null],
    [null, null],
    [{}, null],
  ])('normalizePhoneNumber(%p) → %p', (value, expected) => {
    expect(normalizePhoneNumber(value)).toBe(expected);
  });
});

describe('normalizeCdr — times and durations', () => {
  it('start_time: connect_time, then setup_time, then start aliases', () => {
    const connect = '10:03:12.000 GMT Tue Nov 24 2026';
    const setup = '10:02:59.000 GMT Tue Nov 24 2026';
    expect(norm({ connect_time: connect, setup_time: setup, start: '2026-01-01T00:00:00Z' })).toMatchObject({
      start_time: '2026-11-24T10:03:12.000Z',
      setup_time: '2026-11-24T10:02:59.000Z',
    });
    expect(norm({ setup_time: setup, start_time: '2026-01-01T00:00:00Z' }).start_time).toBe(
      '2026-11-24T10:02:59.000Z',
    );
    expect(norm({ start_time: '2026-01-01T00:00:00Z' }).start_time).toBe('2026-01-01T00:00:00.000Z');
  });

  it.each([
    ['connect_time', 'start_time'],
    ['answer_time', 'start_time'],
    ['CONNECT_TIME', 'start_time'],
    ['start_time', 'start_time'],
    ['start', 'start_time'],
    ['setup_time', 'setup_time'],
    ['SETUP_TIME', 'setup_time'],
    ['calldate', 'setup_time'],
    ['disconnect_time', 'end_time'],
    ['end_time', 'end_time'],
    ['end', 'end_time'],
  ] as const)('%s → %s', (field, target) => {
    expect(norm({ [field]: '20210822T10:11:52.000' })[target]).toBe('2021-08-22T10:11:52.000Z');
  });

  it('reads every time format the time module accepts, incl. Date objects and epochs', () => {
    expect(norm({ connect_time: new Date('2026-11-24T10:03:12Z') }).start_time).toBe('2026-11-24T10:03:12.000Z');
    expect(norm({ connect_time: 1764000000 }).start_time).toBe('2025-11-24T16:00:00.000Z');
    expect(norm({ connect_time: '2026-11-24 13:03:12+03' }).start_time).toBe('2026-11-24T10:03:12.000Z');
  });

  it('skips an unparseable time and uses the next alias', () => {
    expect(norm({ connect_time: 'garbage', answer_time: '2026-11-24T10:03:12Z' }).start_time).toBe(
      '2026-11-24T10:03:12.000Z',
    );
    expect(norm({ connect_time: 'garbage' }).start_time).toBeNull();
  });

  it('end_time falls back to start_time + duration', () => {
    expect(norm({ connect_time: '2026-11-24T10:03:12Z', duration: 114.87321 }).end_time).toBe(
      '2026-11-24T10:05:06.873Z',
    );
    expect(norm({ connect_time: '2026-11-24T10:03:12Z' }).end_time).toBeNull();
    expect(norm({ duration: 10 }).end_time).toBeNull();
  });

  it('derives duration from connect and disconnect times when it is missing', () => {
    const cdr = norm({ connect_time: '2026-11-24T10:03:12Z', disconnect_time: '2026-11-24T10:05:07.500Z' });
    expect(cdr.duration).toBe(115.5);
    expect(cdr.status).toBe('completed');
    // never from setup_time (that would count ringing as talk time)
    expect(norm({ setup_time: '2026-11-24T10:03:12Z', end_time: '2026-11-24T10:05:07Z' }).duration).toBeNull();
    // disconnect before connect → unknown
    expect(norm({ connect_time: '2026-11-24T10:05:07Z', disconnect_time: '2026-11-24T10:03:12Z' }).duration).toBeNull();
  });

  it.each(['duration', 'DURATION', 'call_duration', 'elapsed'])('duration from %s', (field) => {
    expect(norm({ [field]: '12.5' }).duration).toBe(12.5);
  });

  it.each(['billed_duration', 'billsec', 'BILLSEC'])('billed_duration from %s', (field) => {
    expect(norm({ [field]: '60' }).billed_duration).toBe(60);
  });

  it('does not take billsec as the duration', () => {
    expect(norm({ billsec: 60 }).duration).toBeNull();
  });

  it.each([
    [0, 0],
    [2.921805825, 2.921805825],
    ['2,5', 2.5],
    [' 7 ', 7],
    ['', null],
    [null, null],
    ['<nil/>', null],
    [Number.NaN, null],
    [Infinity, null],
    ['abc', null],
    [-3, null],
    ['-3', null],
    [true, null],
  ])('duration %p → %p', (value, expected) => {
    expect(norm({ duration: value }).duration).toBe(expected);
    expect(norm({ billed_duration: value }).billed_duration).toBe(expected);
  });
});

describe('normalizeCdr — status, sip_code, disconnect_reason', () => {
  it.each([
    [0, 'completed', 200, 'OK'],
    ['0', 'completed', 200, 'OK'],
    [200, 'completed', 200, 'OK'],
    [486, 'busy', 486, 'Busy Here'],
    [600, 'busy', 600, 'Busy Everywhere'],
    [408, 'no_answer', 408, 'Request Timeout'],
    [480, 'no_answer', 480, 'Temporarily Unavailable'],
    [487, 'cancelled', 487, 'Request Terminated'],
    ['404', 'rejected', 404, 'Not Found'],
    [603, 'rejected', 603, 'Decline'],
    [503, 'failed', 503, 'Service Unavailable'],
    [-20, 'rejected', null, 'Insufficient balance'],
    [-14, 'rejected', null, 'No rate found'],
    [-25, 'failed', null, 'No routes'],
  ])('result %p → %s / %p / %s', (result, status, sipCode, reason) => {
    expect(norm({ result, duration: 0 })).toMatchObject({
      status,
      sip_code: sipCode,
      disconnect_reason: reason,
      result: Number(result),
    });
  });

  it('a result wins over a disposition and over the duration', () => {
    expect(norm({ result: 486, disposition: 'ANSWERED', duration: 30 }).status).toBe('busy');
  });

  it.each([
    ['ANSWERED', 'completed'],
    ['NO ANSWER', 'no_answer'],
    ['no_answer', 'no_answer'],
    ['BUSY', 'busy'],
    ['FAILED', 'failed'],
    ['CONGESTION', 'failed'],
    ['CANCEL', 'cancelled'],
    ['Cancelled', 'cancelled'],
    ['rejected', 'rejected'],
  ])('disposition %s → %s', (value, status) => {
    for (const field of ['disposition', 'status', 'call_status', 'DISPOSITION']) {
      expect(norm({ [field]: value, duration: 99 })).toMatchObject({
        status,
        result: null,
        sip_code: null,
        disconnect_reason: value,
      });
    }
  });

  it('reads a non-numeric result as a disposition', () => {
    expect(norm({ result: 'ANSWERED' })).toMatchObject({ status: 'completed', result: null });
  });

  it('uses a sip_code field when there is no result', () => {
    expect(norm({ sip_code: '486' })).toMatchObject({ status: 'busy', sip_code: 486, disconnect_reason: 'Busy Here' });
  });

  it('an explicit reason text is kept when the result does not give one', () => {
    expect(norm({ disposition: 'FAILED', hangup_reason: 'Gateway down' }).disconnect_reason).toBe('Gateway down');
  });

  it('falls back to duration: > 0 completed, otherwise unknown', () => {
    expect(norm({ duration: 3 })).toMatchObject({ status: 'completed', sip_code: null, disconnect_reason: null });
    expect(norm({ duration: 0 }).status).toBe('unknown');
    expect(norm({}).status).toBe('unknown');
    expect(norm({ disposition: 'weird', duration: 0 }).status).toBe('unknown');
  });
});

describe('normalizeCdr — direction', () => {
  it('defaults to outbound (getAccountCDRs are account-originated)', () => {
    expect(norm({ cli: '905321234567', cld: '902122345678' }).direction).toBe('outbound');
  });

  it.each(['direction', 'DIRECTION', 'call_direction'])('reads an explicit %s field', (field) => {
    expect(norm({ [field]: 'gelen' }).direction).toBe('inbound');
    expect(norm({ [field]: 'Outgoing' }).direction).toBe('outbound');
  });

  it('applies the configured rules to the normalized numbers and account', () => {
    const options = {
      direction: { localNumberPrefixes: ['90212'], inboundAccounts: ['77'], internalMaxDigits: 4 },
    };
    expect(norm({ cli: 'sip:905321234567@h', cld: 'sip:+902122345678@h' }, options).direction).toBe('inbound');
    expect(norm({ cli: '902122345678', cld: '4915112345678' }, options).direction).toBe('outbound');
    expect(norm({ cli: '101', cld: '102' }, options).direction).toBe('internal');
    expect(norm({ i_account: 77, cli: '101', cld: '102' }, options).direction).toBe('inbound');
    expect(norm({}, { direction: { default: 'unknown' } }).direction).toBe('unknown');
  });
});

describe('normalizeCdr — place, money, trunk, codec, account, ip', () => {
  it.each([
    ['TURKEY', 'Turkey'],
    ['UNITED KINGDOM', 'United Kingdom'],
    ['BOSNIA AND HERZEGOVINA', 'Bosnia and Herzegovina'],
    ['GUINEA-BISSAU', 'Guinea-Bissau'],
    ["COTE D'IVOIRE", "Cote D'Ivoire"],
    ['  UNITED   STATES ', 'United States'],
    ['Turkey', 'Turkey'],
    ['Isle of Man', 'Isle of Man'],
    ['TR', 'TR'],
    ['tr', 'TR'],
    ['GBR', 'GBR'],
    ['', null],
  ])('place %p → %p', (value, expected) => {
    expect(normalizePlaceName(value)).toBe(expected);
  });

  it.each(['country', 'country_name', 'destination_country', 'COUNTRY'])('country from %s', (field) => {
    expect(norm({ [field]: 'GERMANY' }).country).toBe('Germany');
  });

  it.each(['area_name', 'city', 'destination_city', 'description'])('city from %s', (field) => {
    expect(norm({ [field]: 'ISTANBUL' }).city).toBe('Istanbul');
  });

  it('never takes a destination type as the city', () => {
    expect(norm({ description: 'Mobile' }).city).toBeNull();
    expect(norm({ description: 'FIXED' }).city).toBeNull();
    expect(norm({ description: 'Mobile - Turkcell' }).city).toBeNull();
    expect(norm({ description: 'Toll Free' }).city).toBeNull();
    expect(norm({ description: 'TOLL-FREE' }).city).toBeNull();
    expect(norm({ area_name: null, description: 'Fixed' }).city).toBeNull();
    expect(norm({ area_name: 'Ankara', description: 'Fixed' }).city).toBe('Ankara');
    expect(norm({ description: 'Izmir' }).city).toBe('Izmir');
  });

  it.each([
    [0.024, 0.024],
    ['0.024', 0.024],
    ['0,024', 0.024],
    [12, 12],
    ['1.234,56', 1234.56],
    ['1,234.56', 1234.56],
    ['-0.5', -0.5],
    ['', null],
    ['1,234,567', null],
    ['abc', null],
    [Number.NaN, null],
    [null, null],
  ])('cost %p → %p', (value, expected) => {
    expect(norm({ cost: value }).cost).toBe(expected);
  });

  it('parseCdrNumber never returns NaN or Infinity (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.constantFrom('1e400', '-1e999', '.', ',', '+')), (value) => {
        const n = parseCdrNumber(value);
        expect(n === null || Number.isFinite(n)).toBe(true);
      }),
    );
  });

  it.each(['currency', 'payment_currency', 'base_currency'])('currency from %s, upper-cased', (field) => {
    expect(norm({ [field]: 'try' }).currency).toBe('TRY');
  });

  it('falls back to defaultCurrency and ignores values that are not ISO 4217 shaped', () => {
    expect(norm({}, { defaultCurrency: 'usd' }).currency).toBe('USD');
    expect(norm({ currency: 'EUR' }, { defaultCurrency: 'USD' }).currency).toBe('EUR');
    expect(norm({ currency: '$' }, { defaultCurrency: 'USD' }).currency).toBe('USD');
    expect(norm({}).currency).toBeNull();
    expect(norm({}, { defaultCurrency: 'dollars' }).currency).toBeNull();
  });

  it.each(['trunk', 'vendor', 'connection', 'i_connection', 'dstchannel', 'I_CONNECTION'])(
    'trunk from %s',
    (field) => {
      expect(norm({ [field]: 42 }).trunk).toBe('42');
    },
  );

  it.each(['codec', 'codecs', 'audio_codec'])('codec from %s', (field) => {
    expect(norm({ [field]: ' PCMA ' }).codec).toBe('PCMA');
  });

  it('joins a codec list', () => {
    expect(norm({ codecs: ['PCMA', '', 'G729'] }).codec).toBe('PCMA,G729');
    expect(norm({ codecs: [] }).codec).toBeNull();
  });

  it.each(['i_account', 'account', 'accountcode', 'username', 'I_ACCOUNT'])('account from %s', (field) => {
    expect(norm({ [field]: 1042 }).account).toBe('1042');
  });

  it.each([
    ['remote_ip', '203.0.113.45', '203.0.113.45'],
    ['src_ip', '203.0.113.45:5060', '203.0.113.45'],
    ['source_ip', '[2001:db8::1]:5060', '2001:db8::1'],
    ['source_ip', '2001:db8::1', '2001:db8::1'],
  ])('remote_ip from %s %s', (field, value, expected) => {
    expect(norm({ [field]: value }).remote_ip).toBe(expected);
  });

  it('release_source is trimmed and lower-cased', () => {
    expect(norm({ release_source: ' Callee ' }).release_source).toBe('callee');
  });
});

describe('normalizeCdr — odd records', () => {
  it('treats null, <nil/>, blank and missing fields alike', () => {
    const cdr = norm({
      cli: null,
      cld: '<nil/>',
      connect_time: '',
      cost: '   ',
      country: null,
      area_name: '<nil/>',
      release_source: undefined,
    });
    expect(cdr).toMatchObject({
      caller: null,
      callee: null,
      start_time: null,
      cost: null,
      country: null,
      city: null,
      release_source: null,
    });
  });

  it('matches keys case-insensitively and uses the first usable duplicate', () => {
    expect(norm({ CLI: '', cli: '905321234567' }).caller).toBe('905321234567');
    expect(norm({ Country: 'FRANCE' }).country).toBe('France');
  });

  it('does not mutate the input record', () => {
    const raw = { ...ANSWERED_ACCOUNT_CDR };
    const before = JSON.stringify(raw);
    normalizeCdr(raw);
    expect(JSON.stringify(raw)).toBe(before);
  });

  it('an id-bearing record never throws and always has every key with the right type (property)', () => {
    const knownKeys = [
      ...new Set(Object.values(CDR_FIELD_ALIASES).flat()),
      'i_call',
      'i_customer',
      'CLI',
      'CLD',
      'SETUP_TIME',
      'DURATION',
    ];
    const key = fc.oneof(fc.constantFrom(...knownKeys), fc.string({ maxLength: 12 }));
    const value = fc.oneof(
      fc.anything({ withBigInt: true, withDate: true }),
      fc.constantFrom('', '<nil/>', '  ', 'NaN', '-1', '0', '1e400', '10:03:12.000 GMT Tue Nov 24 2026'),
      fc.double(),
      fc.integer(),
    );
    const id = fc.oneof(
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      fc.bigInt({ min: BigInt(1), max: BigInt(2) ** BigInt(80) }).map((n) => n.toString()),
    );
    const isStringOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
    const isNumberOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));
    const isIsoOrNull = (v: unknown): boolean =>
      v === null || (typeof v === 'string' && new Date(v).toISOString() === v);

    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 25 }), id, (record, idValue) => {
        const raw: RawCdr = { ...record, i_cdr: idValue };
        const cdr = normalizeCdr(raw, { defaultCurrency: 'EUR', direction: { localNumberPrefixes: ['90'] } });
        expect(Object.keys(cdr).sort()).toEqual([...CDR_KEYS].sort());
        expect(cdr.id).toMatch(/^[1-9]\d*$/);
        expect(cdr.id).toBe(normalizeCdrId(idValue));
        for (const field of ['call_id', 'caller', 'callee', 'disconnect_reason', 'release_source', 'country', 'city', 'trunk', 'codec', 'account', 'remote_ip'] as const) {
          expect(isStringOrNull(cdr[field])).toBe(true);
          expect(cdr[field]).not.toBe('');
        }
        for (const field of ['duration', 'billed_duration', 'cost', 'result', 'sip_code'] as const) {
          expect(isNumberOrNull(cdr[field])).toBe(true);
        }
        for (const field of ['start_time', 'end_time', 'setup_time'] as const) {
          expect(isIsoOrNull(cdr[field])).toBe(true);
        }
        expect(cdr.duration === null || cdr.duration >= 0).toBe(true);
        expect(CDR_STATUSES).toContain(cdr.status);
        expect(CDR_DIRECTIONS).toContain(cdr.direction);
        expect(cdr.currency).toMatch(/^[A-Z]{3}$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('CdrNormalizer', () => {
  it('binds options once', () => {
    const normalizer = new CdrNormalizer({ defaultCurrency: 'TRY', direction: { default: 'inbound' } });
    expect(normalizer.normalize({ i_cdr: 1 })).toMatchObject({ currency: 'TRY', direction: 'inbound' });
  });

  it('normalizeMany keeps good records and reports rejected ones with their index', () => {
    const batch = new CdrNormalizer().normalizeMany([
      ANSWERED_ACCOUNT_CDR,
      { cli: '905321234567' },
      'not a record',
      BUSY_ACCOUNT_CDR,
    ]);
    expect(batch.cdrs.map((c) => c.id)).toEqual(['418238747', '418238751']);
    expect(batch.rejected.map((r) => [r.index, r.error.reason])).toEqual([
      [1, 'missing_id'],
      [2, 'invalid_record'],
    ]);
  });
});

describe('decoder → normalizer on the shared XML fixtures', () => {
  const fixture = (name: string): string =>
    readFileSync(join(__dirname, '..', '..', 'testing', 'fixtures', name), 'utf8');

  it('normalizes a decoded getAccountCDRs response like the hand-written §10 fixtures', async () => {
    const decoded = await decodeMethodResponse(fixture('get-account-cdrs.xml'));
    if (!isXmlRpcStruct(decoded) || !Array.isArray(decoded.cdrs)) {
      throw new Error('fixture shape changed');
    }
    const { cdrs, rejected } = new CdrNormalizer().normalizeMany(decoded.cdrs);
    expect(rejected).toEqual([]);
    expect(cdrs.map((c) => [c.id, c.status, c.sip_code, c.disconnect_reason, c.start_time])).toEqual([
      ['418238747', 'completed', 200, 'OK', '2026-11-24T10:03:12.000Z'],
      ['418238751', 'busy', 486, 'Busy Here', '2026-11-24T10:07:41.000Z'],
      ['418238760', 'rejected', null, 'Insufficient balance', '2026-11-24T10:12:02.000Z'],
    ]);
    expect(cdrs[0]).toEqual(normalizeCdr(ANSWERED_ACCOUNT_CDR));
  });

  it('normalizes decoded listAllCalls rows (UPPERCASE keys, ISO SETUP_TIME, opaque ID)', async () => {
    const decoded = await decodeMethodResponse(fixture('list-all-calls.xml'));
    if (!Array.isArray(decoded)) {
      throw new Error('fixture shape changed');
    }
    const { cdrs, rejected } = new CdrNormalizer().normalizeMany(decoded);
    expect(rejected).toEqual([]);
    expect(cdrs[0]).toMatchObject({
      id: '1-2997@198.51.100.20',
      call_id: 'c4d5e6f7-0a1b-4c2d-8e9f-1a2b3c4d5e6f@198.51.100.20',
      caller: '905321234567',
      callee: '902122345678',
      setup_time: '2026-11-24T10:11:52.000Z',
      start_time: '2026-11-24T10:11:52.000Z',
      duration: 61.2,
      direction: 'outbound',
      account: '1042',
      trunk: '7',
      status: 'completed',
    });
  });

  it('keeps i8 ids exact, including ids beyond 2^53', async () => {
    const decoded = await decodeMethodResponse(fixture('large-ids-i8.xml'));
    if (!isXmlRpcStruct(decoded)) {
      throw new Error('fixture shape changed');
    }
    expect(normalizeCdr({ i_cdr: decoded.beyond_safe }).id).toBe('9007199254740993');
    expect(normalizeCdr({ i_cdr: decoded.int64_max }).id).toBe('9223372036854775807');
    expect(normalizeCdr({ i_cdr: decoded.i_cdr }).id).toBe('418238747');
    expect(() => normalizeCdr({ i_cdr: decoded.int64_min })).toThrow(CdrNormalizationError);
  });
});
