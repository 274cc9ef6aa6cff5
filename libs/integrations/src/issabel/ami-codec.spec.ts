import { AmiParser, parseAmiDuration, parseAmiPacket, serializeAction } from './ami-codec';
import { AmiError } from './ami.error';

/** What `fn` throws (undefined when it returns), for matching the error's fields. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('AMI codec', () => {
  it('serializes an action with CRLF lines and a blank line, skipping undefined fields', () => {
    expect(serializeAction('Login', { ActionID: '1', Username: 'crm', Secret: 's', Events: 'off', Skip: undefined })).toBe(
      'Action: Login\r\nActionID: 1\r\nUsername: crm\r\nSecret: s\r\nEvents: off\r\n\r\n',
    );
  });

  it('refuses line breaks in values and odd field names (no header injection)', () => {
    expect(() => serializeAction('Ping', { Secret: 'x\r\nAction: Originate' })).toThrow(AmiError);
    expect(() => serializeAction('Ping', { 'Bad Key': 'x' })).toThrow(/invalid AMI field name/);
    expect(() => serializeAction('Ping\r\n', {})).toThrow(/invalid AMI Action/);
  });

  it('parses keys case-insensitively, keeps colons in values and joins repeated keys', () => {
    const packet = parseAmiPacket('Response: Success\r\nMESSAGE: a: b\r\nOutput: line 1\r\nOutput: line 2');
    expect(packet).toEqual({ response: 'Success', message: 'a: b', output: 'line 1\nline 2' });
  });

  it('collects old-style "Response: Follows" bodies under output', () => {
    const packet = parseAmiPacket('Response: Follows\r\nPrivilege: Command\r\nAsterisk 11.25.3 built by root\r\n--END COMMAND--');
    expect(packet).toEqual({ response: 'Follows', privilege: 'Command', output: 'Asterisk 11.25.3 built by root' });
  });

  it('reads the greeting, then packets split across arbitrary chunk boundaries', () => {
    const wire = 'Asterisk Call Manager/5.0.2\r\nResponse: Success\r\nActionID: 1\r\nPing: Pong\r\n\r\nEvent: FullyBooted\r\nStatus: Fully Booted\r\n\r\n';
    for (let cut = 1; cut < wire.length; cut += 7) {
      const parser = new AmiParser();
      const a = parser.push(wire.slice(0, cut));
      const b = parser.push(wire.slice(cut));
      expect(a.greeting ?? b.greeting).toBe('5.0.2');
      expect([...a.packets, ...b.packets]).toEqual([
        { response: 'Success', actionid: '1', ping: 'Pong' },
        { event: 'FullyBooted', status: 'Fully Booted' },
      ]);
    }
  });

  it('tolerates bare LF line endings', () => {
    const parser = new AmiParser();
    expect(parser.push('Asterisk Call Manager/2.10.6\nResponse: Success\nActionID: 7\n\n')).toEqual({
      greeting: '2.10.6',
      packets: [{ response: 'Success', actionid: '7' }],
    });
  });

  it('rejects a peer that is not AMI (e.g. an HTTP or SSH server) by its greeting', () => {
    expect(() => new AmiParser().push('SSH-2.0-OpenSSH_9.6\r\n')).toThrow(/not an Asterisk Manager Interface/);
    expect(thrownBy(() => new AmiParser().push('HTTP/1.1 400 Bad Request\r\n'))).toMatchObject({ kind: 'protocol' });
  });

  it('bounds the buffer (a peer that never ends a packet)', () => {
    const parser = new AmiParser({ maxPacketBytes: 64 });
    parser.push('Asterisk Call Manager/5.0.2\r\n');
    expect(() => parser.push('Key: ' + 'x'.repeat(100))).toThrow(/larger than 64 bytes/);
  });

  it('server-side parsing has no greeting line', () => {
    expect(new AmiParser({ expectGreeting: false }).push('Action: Ping\r\nActionID: 3\r\n\r\n').packets).toEqual([{ action: 'Ping', actionid: '3' }]);
  });

  it('parses HH:MM:SS durations (hours may exceed 24)', () => {
    expect(parseAmiDuration('00:01:14')).toBe(74);
    expect(parseAmiDuration('26:00:01')).toBe(93_601);
    expect(parseAmiDuration('')).toBeNull();
    expect(parseAmiDuration('1:2')).toBeNull();
    expect(parseAmiDuration(undefined)).toBeNull();
  });
});
