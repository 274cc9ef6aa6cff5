import { TextDecoder } from 'node:util';

import { malformed, safeName, tooLarge } from './xml-rpc-decode-errors';

/** What the XML-RPC decoders read: a whole body, or its chunks as they arrive (undici bodies, Node Readables). */
export type XmlSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;

/** Receives the body as text, in order, then end(). */
export interface XmlTextSink {
  write(text: string): void;
  end(): void;
}

/**
 * Feeds a source to a sink as text. Bytes are decoded incrementally (TextDecoder stream mode, so a
 * multi-byte character split across chunks is fine), as UTF-8 unless a BOM or the XML declaration
 * names another encoding TextDecoder knows; invalid byte sequences become U+FFFD. More than
 * `maxBytes` bytes → SippyError 'too_large', and reading stops there (the iterator is closed).
 */
export async function pumpXmlText(source: XmlSource, sink: XmlTextSink, maxBytes: number): Promise<void> {
  if (typeof source === 'string') {
    if (maxBytes !== Infinity && Buffer.byteLength(source, 'utf8') > maxBytes) {
      throw tooLarge(maxBytes);
    }
    sink.write(source);
    sink.end();
    return;
  }
  if (source instanceof Uint8Array) {
    if (source.byteLength > maxBytes) {
      throw tooLarge(maxBytes);
    }
    const text = new ByteTextDecoder();
    sink.write(text.write(source));
    sink.write(text.end());
    sink.end();
    return;
  }
  if ((source as unknown) === null || typeof source !== 'object' || typeof source[Symbol.asyncIterator] !== 'function') {
    throw new TypeError('decodeMethodResponse: source must be a string, a Uint8Array or an AsyncIterable of chunks');
  }
  const text = new ByteTextDecoder();
  let bytes = 0;
  // Throwing inside for-await calls the iterator's return(): a Readable is destroyed, an undici
  // body is cancelled, so nothing more is read after too_large/malformed.
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      bytes += Buffer.byteLength(chunk, 'utf8');
      if (bytes > maxBytes) {
        throw tooLarge(maxBytes);
      }
      sink.write(text.end()); // a byte chunk may have left a partial character
      sink.write(chunk);
    } else if (chunk instanceof Uint8Array) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        throw tooLarge(maxBytes);
      }
      sink.write(text.write(chunk));
    } else {
      throw new TypeError('decodeMethodResponse: chunks must be Uint8Array or string');
    }
  }
  sink.write(text.end());
  sink.end();
}

const MAX_DECLARATION_BYTES = 512;

/**
 * Incremental bytes → string. Picks the encoding from a BOM or the XML declaration (default
 * UTF-8), then decodes in TextDecoder stream mode.
 */
class ByteTextDecoder {
  private decoder: TextDecoder | undefined;
  private head: Buffer | undefined;

  write(chunk: Uint8Array): string {
    if (this.decoder !== undefined) {
      return this.decoder.decode(chunk, { stream: true });
    }
    const head = this.head === undefined ? Buffer.from(chunk) : Buffer.concat([this.head, chunk]);
    const label = sniffEncoding(head, false);
    if (label === undefined) {
      this.head = head; // need more bytes to see the whole declaration
      return '';
    }
    this.head = undefined;
    this.decoder = createTextDecoder(label);
    return this.decoder.decode(head, { stream: true });
  }

  end(): string {
    if (this.decoder === undefined) {
      if (this.head === undefined) {
        return '';
      }
      const head = this.head;
      this.head = undefined;
      return createTextDecoder(sniffEncoding(head, true) ?? 'utf-8').decode(head);
    }
    const rest = this.decoder.decode();
    this.decoder = undefined;
    return rest;
  }
}

const XML_DECL_START = Buffer.from('<?xml');

/** Returns an encoding label, or undefined when more bytes are needed to decide. */
function sniffEncoding(head: Buffer, final: boolean): string | undefined {
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) {
    return 'utf-16be';
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
    return 'utf-16le';
  }
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return 'utf-8';
  }
  if (!final && head.length < 3 && isBomPrefix(head)) {
    return undefined;
  }
  const prefix = Math.min(head.length, XML_DECL_START.length);
  if (head.subarray(0, prefix).compare(XML_DECL_START.subarray(0, prefix)) !== 0) {
    return 'utf-8'; // no declaration (the scanner will judge the document)
  }
  const close = head.indexOf('?>');
  if (close === -1) {
    if (!final && head.length < MAX_DECLARATION_BYTES) {
      return undefined;
    }
    return 'utf-8'; // unterminated declaration: let the scanner report it
  }
  const declaration = head.subarray(0, close).toString('latin1');
  const encoding = /\sencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(declaration) as (string | undefined)[] | null;
  return encoding === null ? 'utf-8' : (encoding[1] ?? encoding[2] ?? 'utf-8');
}

const BOMS = [Buffer.from([0xfe, 0xff]), Buffer.from([0xff, 0xfe]), Buffer.from([0xef, 0xbb, 0xbf])];

function isBomPrefix(head: Buffer): boolean {
  return BOMS.some((bom) => head.length < bom.length && bom.subarray(0, head.length).equals(head));
}

function createTextDecoder(label: string): TextDecoder {
  try {
    return new TextDecoder(label);
  } catch {
    throw malformed(`unsupported encoding "${safeName(label)}" in the XML declaration`);
  }
}
