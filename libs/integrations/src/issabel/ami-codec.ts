import { AmiError } from './ami.error';

/**
 * One AMI packet (a response or an event). Keys are lower-cased (AMI keys are case-insensitive);
 * repeated keys (e.g. `Output:` of `Action: Command`) are joined with "\n". Lines without
 * "Key: Value" (the body of an old-style `Response: Follows`) are collected under `output`.
 * Fields vary by packet and peer: any may be missing.
 */
export type AmiPacket = Readonly<Partial<Record<string, string>>>;

export type AmiFieldValue = string | number | boolean | undefined;

const GREETING = /^Asterisk Call Manager\/(\S+)/;
const DEFAULT_MAX_PACKET_BYTES = 1024 * 1024;

/** Serializes an action: `Action: X\r\nKey: Value\r\n…\r\n\r\n`. Rejects CR/LF in values (header injection). */
export function serializeAction(action: string, fields: Readonly<Record<string, AmiFieldValue>> = {}): string {
  assertToken('Action', action);
  let out = `Action: ${action}\r\n`;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    assertToken('field name', key);
    const text = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
    if (/[\r\n]/.test(text)) {
      throw new AmiError('config', `AMI field "${key}" must not contain line breaks`, { action });
    }
    out += `${key}: ${text}\r\n`;
  }
  return `${out}\r\n`;
}

function assertToken(what: string, value: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(value)) {
    throw new AmiError('config', `invalid AMI ${what} "${value.slice(0, 40)}"`);
  }
}

/** Parses the text of one packet (without the terminating blank line). */
export function parseAmiPacket(text: string): AmiPacket {
  const packet: Record<string, string> = {};
  const output: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0 || /\s/.test(line.slice(0, colon))) {
      if (line !== '--END COMMAND--') output.push(line);
      continue;
    }
    const key = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).replace(/^ /, '');
    packet[key] = key in packet ? `${packet[key]}\n${value}` : value;
  }
  if (output.length > 0) {
    packet['output'] = 'output' in packet ? `${packet['output']}\n${output.join('\n')}` : output.join('\n');
  }
  return packet;
}

export interface AmiParserOptions {
  /** A packet (or the greeting) larger than this is a protocol error. Default 1 MiB. */
  maxPacketBytes?: number;
  /** Whether the stream starts with the server greeting line (client side). Default true. */
  expectGreeting?: boolean;
}

/**
 * Incremental AMI stream parser: feed it socket chunks, get the greeting once and then whole
 * packets (split on the blank line). Tolerates bare LF line endings.
 */
export class AmiParser {
  private buffer = '';
  private greetingSeen = false;
  private readonly maxPacketBytes: number;

  constructor(options: AmiParserOptions = {}) {
    this.maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
    this.greetingSeen = !(options.expectGreeting ?? true);
  }

  /**
   * Consumes a chunk. Returns the greeting version (first call that completes the first line)
   * and the complete packets. Throws AmiError('protocol') when the peer does not speak AMI.
   */
  push(chunk: string): { greeting?: string; packets: AmiPacket[] } {
    this.buffer += chunk;
    let greeting: string | undefined;
    if (!this.greetingSeen) {
      const eol = this.buffer.indexOf('\n');
      if (eol < 0) {
        this.checkSize();
        return { packets: [] };
      }
      const line = this.buffer.slice(0, eol).replace(/\r$/, '');
      const match = GREETING.exec(line);
      if (!match) {
        throw new AmiError('protocol', `the peer is not an Asterisk Manager Interface (greeting "${printable(line)}")`);
      }
      greeting = match[1];
      this.greetingSeen = true;
      this.buffer = this.buffer.slice(eol + 1);
    }
    const packets: AmiPacket[] = [];
    for (;;) {
      const match = /\r?\n\r?\n/.exec(this.buffer);
      if (!match) break;
      const text = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      if (text.trim() === '') continue;
      packets.push(parseAmiPacket(text));
    }
    this.checkSize();
    return { greeting, packets };
  }

  private checkSize(): void {
    if (this.buffer.length > this.maxPacketBytes) {
      throw new AmiError('protocol', `AMI packet larger than ${this.maxPacketBytes} bytes`);
    }
  }
}

function printable(text: string): string {
  return text.slice(0, 60).replace(/[^\x20-\x7e]/g, '?');
}

/** Seconds from an AMI `Duration: HH:MM:SS` (hours may exceed 24); null when absent or malformed. */
export function parseAmiDuration(value: string | undefined): number | null {
  const match = /^(\d+):(\d{1,2}):(\d{1,2})$/.exec(value?.trim() ?? '');
  if (!match) return null;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** True when an AMI error message says the action does not exist on this PBX (e.g. SIPpeers without chan_sip). */
export function isUnknownCommand(message: string | undefined): boolean {
  return /invalid\/unknown command/i.test(message ?? '');
}

/** True when an AMI error message says the user lacks the privilege. */
export function isPermissionDenied(message: string | undefined): boolean {
  return /permission denied/i.test(message ?? '');
}
