import { decodeMethodCall, decodeMethodResponse } from './xml-rpc-decoder';
import { serializeFault, serializeMethodCall, serializeMethodResponse } from './xml-rpc-serializer';
import { XmlRpcI8, type XmlRpcValue } from './xml-rpc.types';

/** The `<value>` of the single param, as text. */
function paramXml(value: XmlRpcValue): string {
  const xml = serializeMethodCall('m', [value]);
  const match = /<param>(.*)<\/param>/s.exec(xml);
  if (match === null) {
    throw new Error(`no param in ${xml}`);
  }
  return match[1];
}

describe('serializeMethodCall', () => {
  it('writes a complete methodCall document', () => {
    expect(
      serializeMethodCall('getAccountCDRs', [
        { i_account: 1042, start_date: '10:00:00.000 GMT Tue Nov 24 2026', type: 'all', offset: 0, limit: 500 },
      ]),
    ).toBe(
      '<?xml version="1.0"?><methodCall><methodName>getAccountCDRs</methodName><params><param><value><struct>' +
        '<member><name>i_account</name><value><int>1042</int></value></member>' +
        '<member><name>start_date</name><value><string>10:00:00.000 GMT Tue Nov 24 2026</string></value></member>' +
        '<member><name>type</name><value><string>all</string></value></member>' +
        '<member><name>offset</name><value><int>0</int></value></member>' +
        '<member><name>limit</name><value><int>500</int></value></member>' +
        '</struct></value></param></params></methodCall>',
    );
    expect(serializeMethodCall('system.listMethods', [])).toBe(
      '<?xml version="1.0"?><methodCall><methodName>system.listMethods</methodName><params/></methodCall>',
    );
  });

  it('writes int32 integers as <int> and larger safe integers as <i8>', () => {
    expect(paramXml(2147483647)).toBe('<value><int>2147483647</int></value>');
    expect(paramXml(-2147483648)).toBe('<value><int>-2147483648</int></value>');
    expect(paramXml(2147483648)).toBe('<value><i8>2147483648</i8></value>');
    expect(paramXml(-2147483649)).toBe('<value><i8>-2147483649</i8></value>');
    expect(paramXml(418238747)).toBe('<value><int>418238747</int></value>');
    expect(paramXml(2 ** 40)).toBe('<value><i8>1099511627776</i8></value>');
    expect(paramXml(Number.MAX_SAFE_INTEGER)).toBe('<value><i8>9007199254740991</i8></value>');
    expect(paramXml(-0)).toBe('<value><int>0</int></value>');
  });

  it('rejects integers beyond the safe range: precision is already lost', () => {
    expect(() => paramXml(2 ** 53)).toThrow(TypeError);
    expect(() => paramXml(1e21)).toThrow(/pass a bigint or XmlRpcI8/);
  });

  it('writes bigint and XmlRpcI8 as <i8>, within the signed 64-bit range', () => {
    expect(paramXml(9223372036854775807n as unknown as XmlRpcValue)).toBe('<value><i8>9223372036854775807</i8></value>');
    expect(paramXml(-9223372036854775808n as unknown as XmlRpcValue)).toBe('<value><i8>-9223372036854775808</i8></value>');
    expect(paramXml(new XmlRpcI8('0042'))).toBe('<value><i8>42</i8></value>');
    expect(paramXml(new XmlRpcI8(5))).toBe('<value><i8>5</i8></value>');
    expect(() => paramXml(2n ** 63n as unknown as XmlRpcValue)).toThrow(/signed 64-bit/);
    expect(() => paramXml(new XmlRpcI8('-9223372036854775809'))).toThrow(/signed 64-bit/);
  });

  it('writes other numbers as <double> in plain decimal notation', () => {
    expect(paramXml(0.024)).toBe('<value><double>0.024</double></value>');
    expect(paramXml(-114.87321)).toBe('<value><double>-114.87321</double></value>');
    expect(paramXml(1e-7)).toBe('<value><double>0.0000001</double></value>');
    expect(paramXml(-2.5e-10)).toBe('<value><double>-0.00000000025</double></value>');
    expect(Number('0.0000001')).toBe(1e-7);
  });

  it.each([NaN, Infinity, -Infinity])('rejects the non-finite number %p', (value) => {
    expect(() => serializeMethodCall('m', [{ cost: value }])).toThrow(new TypeError(
      'XML-RPC cannot encode a non-finite number (NaN/Infinity) at params[0].cost',
    ));
  });

  it('writes Dates as zone-less UTC, independent of the process time zone', () => {
    const previous = process.env['TZ'];
    try {
      for (const tz of ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Europe/Istanbul']) {
        process.env['TZ'] = tz;
        expect(paramXml(new Date('2026-11-24T10:03:12.999Z'))).toBe(
          '<value><dateTime.iso8601>20261124T10:03:12</dateTime.iso8601></value>',
        );
      }
    } finally {
      process.env['TZ'] = previous;
    }
    expect(paramXml(new Date('0099-02-03T04:05:06Z'))).toBe('<value><dateTime.iso8601>00990203T04:05:06</dateTime.iso8601></value>');
  });

  it('rejects invalid Dates and years that do not fit 4 digits', () => {
    expect(() => paramXml(new Date('nope'))).toThrow(/invalid Date at params\[0\]/);
    expect(() => paramXml(new Date('+010000-01-01T00:00:00Z'))).toThrow(/4-digit year/);
  });

  it('drops undefined struct members but rejects undefined params and array elements', () => {
    expect(paramXml({ a: 1, b: undefined, c: null })).toBe(
      '<value><struct><member><name>a</name><value><int>1</int></value></member>' +
        '<member><name>c</name><value><nil/></value></member></struct></value>',
    );
    expect(paramXml({ only: undefined })).toBe('<value><struct/></value>');
    expect(() => serializeMethodCall('m', [undefined as unknown as XmlRpcValue])).toThrow(/undefined at params\[0\]/);
    expect(() => serializeMethodCall('m', [[1, undefined as unknown as XmlRpcValue]])).toThrow(/undefined at params\[0\]\[1\]/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => serializeMethodCall('m', [[1, , 3] as XmlRpcValue[]])).toThrow(TypeError);
  });

  it('never writes an empty <value/> for something it cannot encode', () => {
    const bad: unknown[] = [() => 1, Symbol('s'), new Map([['a', 1]]), new Set([1]), /re/, new (class Dto { a = 1 })()];
    for (const value of bad) {
      expect(() => serializeMethodCall('m', [{ x: value as XmlRpcValue }])).toThrow(TypeError);
    }
  });

  it('accepts null-prototype objects as structs', () => {
    const struct = Object.assign(Object.create(null) as Record<string, XmlRpcValue>, { a: 'b' });
    expect(paramXml(struct)).toBe('<value><struct><member><name>a</name><value><string>b</string></value></member></struct></value>');
  });

  it('rejects circular structures with the path', () => {
    const looped: { self?: unknown; list: unknown[] } = { list: [] };
    looped.list.push(looped);
    expect(() => serializeMethodCall('m', [looped as XmlRpcValue])).toThrow('XML-RPC cannot encode a circular reference at params[0].list[0]');
    const shared = { a: 1 };
    expect(() => serializeMethodCall('m', [{ x: shared, y: shared }])).not.toThrow(); // shared, not circular
  });

  it('rejects values nested deeper than 64 levels', () => {
    let deep: XmlRpcValue = 1;
    for (let i = 0; i < 65; i++) {
      deep = [deep];
    }
    expect(() => serializeMethodCall('m', [deep])).toThrow(/deeper than 64/);
  });

  it('writes Buffers and Uint8Arrays as base64', () => {
    expect(paramXml(Buffer.from('hi'))).toBe('<value><base64>aGk=</base64></value>');
    const view = new Uint8Array([0, 1, 2, 3, 4]).subarray(1, 3);
    expect(paramXml(view as unknown as Buffer)).toBe('<value><base64>AQI=</base64></value>');
  });

  it('escapes markup in strings and member names', async () => {
    const value = { 'a<b&c': 'x < y && z ]]> w', empty: '', ws: '  \r\n\t ' };
    const xml = serializeMethodCall('m', [value]);
    expect(xml).not.toContain('a<b');
    await expect(decodeMethodCall(xml)).resolves.toStrictEqual({ methodName: 'm', params: [value] });
  });

  it('rejects characters XML 1.0 cannot carry without echoing the value', () => {
    for (const secret of ['s3cr3t\u0000', 's3cr3t\u0007', 's3cr3t\uD800', 's3cr3t\uFFFE']) {
      let message = '';
      try {
        serializeMethodCall('createAccount', [{ password: secret }]);
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
        message = (error as Error).message;
      }
      expect(message).toContain('params[0].password');
      expect(message).not.toContain('s3cr3t');
    }
    expect(() => serializeMethodCall('m', [{ 'bad\u0001name': 1 }])).toThrow(/member name/);
    expect(paramXml('😀 İstanbul')).toBe('<value><string>😀 İstanbul</string></value>');
  });

  it.each(['', 'get CDRs', 'a<b', 'çağrı', 'x\n'])('rejects the method name %j', (method) => {
    expect(() => serializeMethodCall(method, [])).toThrow(TypeError);
  });

  it('rejects params that are not an array', () => {
    expect(() => serializeMethodCall('m', { a: 1 } as unknown as XmlRpcValue[])).toThrow(TypeError);
  });
});

describe('serializeMethodResponse / serializeFault', () => {
  it('writes responses our decoder reads back', async () => {
    const value = { result: 'OK', cdrs: [{ i_cdr: 5_000_000_000, when: new Date('2026-11-24T10:03:12Z'), area: null }] };
    await expect(decodeMethodResponse(serializeMethodResponse(value))).resolves.toStrictEqual(value);
  });

  it('writes faults our decoder reports as SippyError fault', async () => {
    await expect(decodeMethodResponse(serializeFault(403, 'Account is not registered'))).rejects.toMatchObject({
      kind: 'fault',
      faultCode: 403,
      faultString: 'Account is not registered',
    });
    expect(() => serializeFault(1.5, 'x')).toThrow(TypeError);
  });
});
