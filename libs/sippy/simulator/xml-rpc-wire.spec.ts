import { CdrGenerator } from './cdr-generator';
import { accountCdrWire, customerCdrWire, DEFAULT_CDR_WIRE_FORMAT } from './cdr-records';
import {
  WireDouble,
  fastSerializeMethodResponse,
  formatDouble,
  parseMethodCall,
  serializeResponse,
  serializeResponseWithXmlrpc,
  unwrapWire,
  wireDouble,
  wireInt,
  type WireValue,
} from './xml-rpc-wire';

describe('xml-rpc wire', () => {
  it('writes exactly the bytes of xmlrpc’s serializer for real CDR pages', () => {
    const T = Date.UTC(2026, 10, 24, 12);
    const calls = new CdrGenerator({ seed: 5, historyStart: T - 2 * 3_600_000, idStart: 2 ** 31 + 1 }).visibleAt(T);
    const page: WireValue = {
      result: 'OK',
      cdrs: calls.map((c) => accountCdrWire(c, DEFAULT_CDR_WIRE_FORMAT)),
      rows: calls.map((c) => customerCdrWire(c, { includeSetupTime: false, idsAsString: true, costAsString: true })),
    };
    expect(fastSerializeMethodResponse(page)).toBe(serializeResponseWithXmlrpc(page));
  });

  it.each<[string, WireValue]>([
    ['empty string', ''],
    ['escaped text', 'x>y\r\nz'],
    ['CDATA for < and &', 'a&b <c>'],
    ['CDATA with ]]>', 'q]]>r'],
    ['unicode', 'İstanbul Çağrı Merkezi é'],
    ['empty struct and array', { a: {}, b: [] }],
    ['escaped member names', { 'k<&>': 1 }],
    ['numbers', [0, -3, 1.5, 2 ** 40, wireInt(2 ** 33), wireDouble(0), wireDouble(1e-7), wireDouble(-2.5)]],
    ['booleans and nil', [true, false, null]],
    ['fault-like struct', [{ faultCode: 403, faultString: 'Account is not registered' }]],
  ])('matches xmlrpc for %s', (_name, value) => {
    expect(fastSerializeMethodResponse(value)).toBe(serializeResponseWithXmlrpc(value));
  });

  it('falls back to xmlrpc for what the fast path does not handle', () => {
    expect(() => fastSerializeMethodResponse('bell\u0007')).toThrow();
    expect(() => serializeResponse('bell\u0007')).toThrow(/Invalid character/);
  });

  it('formats doubles without exponents', () => {
    expect(formatDouble(1e-7)).toBe('0.0000001');
    expect(formatDouble(114.87321)).toBe('114.87321');
    expect(new WireDouble(0).raw).toBe('0');
    expect(() => new WireDouble(Number.NaN)).toThrow(RangeError);
  });

  it('unwraps to what a decoder returns', () => {
    expect(unwrapWire({ a: wireDouble(2), b: wireInt(2 ** 35), c: [null, 'x'] })).toEqual({ a: 2, b: 2 ** 35, c: [null, 'x'] });
  });

  it('parses method calls and rejects broken ones', async () => {
    await expect(
      parseMethodCall('<?xml version="1.0"?><methodCall><methodName>getAccountCDRs</methodName><params><param><value><struct>' +
        '<member><name>i_cdr</name><value><i8>3000000000</i8></value></member></struct></value></param></params></methodCall>'),
    ).resolves.toEqual({ methodName: 'getAccountCDRs', params: [{ i_cdr: '3000000000' }] });
    await expect(parseMethodCall('<methodCall><methodName>x</methodName><params>')).rejects.toThrow();
    await expect(parseMethodCall('<methodResponse><params/></methodResponse>')).rejects.toThrow();
    await expect(parseMethodCall('not xml')).rejects.toThrow();
  });
});
