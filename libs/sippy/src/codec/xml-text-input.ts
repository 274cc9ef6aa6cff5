import { TextDecoder } from 'node:util';

import { malformed, safeName, tooLarge } from './xml-rpc-decode-errors';

/** What the XML-RPC decoders read: a whole body, or its chunks as they arrive (undici bodies, Node Readables). */
export type XmlSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;

/** Receives the body as text, in order, then end(). */
export interface XmlTextSink {
  /** Text (UTF-16, as decoded). */
  write(text: string): void;
  /**
   * UTF-8 bytes as a latin1 string: one character per byte, a multi-byte character possibly split
   * between two calls. Only for a sink that has it; it never comes after write() (a source that
   * mixes strings and bytes is given as text from its first string on). `bytes` are the same bytes,
   * to be read during the call only (a source may reuse its buffer afterwards).
   */
  writeUtf8Bytes?(latin1: string, bytes: Buffer): void;
  end(): void;
}

/**
 * Feeds a source to a sink as text. Bytes are decoded incrementally (TextDecoder stream mode, so a
 * multi-byte character split across chunks is fine), as UTF-8 unless a BOM or the XML declaration
 * names another encoding TextDecoder knows; invalid byte sequences become U+FFFD. A sink with
 * writeUtf8Bytes gets UTF-8 bytes undecoded, as latin1 strings (`Buffer#latin1Slice`: a copy, no
 * decoding; the UTF-8 BOM removed as TextDecoder would) and decodes what it keeps itself. More than
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
    const text = new ByteTextDecoder(sink);
    text.write(source);
    text.end();
    sink.end();
    return;
  }
  if ((source as unknown) === null || typeof source !== 'object' || typeof source[Symbol.asyncIterator] !== 'function') {
    throw new TypeError('decodeMethodResponse: source must be a string, a Uint8Array or an AsyncIterable of chunks');
  }
  const text = new ByteTextDecoder(sink);
  let bytes = 0;
  // Throwing inside for-await calls the iterator's return(): a Readable is destroyed, an undici
  // body is cancelled, so nothing more is read after too_large/malformed.
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      bytes += Buffer.byteLength(chunk, 'utf8');
      if (bytes > maxBytes) {
        throw tooLarge(maxBytes);
      }
      text.end(); // a byte chunk may have left a partial character
      text.textOnly = true;
      sink.write(chunk);
    } else if (chunk instanceof Uint8Array) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        throw tooLarge(maxBytes);
      }
      text.write(chunk);
    } else {
      throw new TypeError('decodeMethodResponse: chunks must be Uint8Array or string');
    }
  }
  text.end();
  sink.end();
}

const MAX_DECLARATION_BYTES = 512;

/**
 * Incremental bytes → the sink. Picks the encoding from a BOM or the XML declaration (default
 * UTF-8), then decodes in TextDecoder stream mode, or hands UTF-8 to a sink that takes it as bytes.
 */
class ByteTextDecoder {
  /** Set once the sink has been given text: from then on every byte is decoded here. */
  textOnly: boolean;
  private decoder: TextDecoder | undefined;
  /** UTF-8 passed through to the sink as latin1 strings (instead of `decoder`). */
  private passBytes = false;
  private head: Buffer | undefined;

  constructor(private readonly sink: XmlTextSink) {
    this.textOnly = sink.writeUtf8Bytes === undefined;
  }

  write(chunk: Uint8Array): void {
    if (this.passBytes) {
      this.writeBytes(chunk, 0);
      return;
    }
    if (this.decoder !== undefined) {
      this.sink.write(this.decoder.decode(chunk, { stream: true }));
      return;
    }
    const head = this.head === undefined ? Buffer.from(chunk) : Buffer.concat([this.head, chunk]);
    const label = sniffEncoding(head, false);
    if (label === undefined) {
      this.head = head; // need more bytes to see the whole declaration
      return;
    }
    this.head = undefined;
    this.start(label, head);
  }

  end(): void {
    if (this.passBytes) {
      this.passBytes = false; // nothing held back: the sink has every byte
      return;
    }
    if (this.decoder === undefined) {
      if (this.head === undefined) {
        return;
      }
      const head = this.head;
      this.head = undefined;
      this.start(sniffEncoding(head, true) ?? 'utf-8', head);
      this.end();
      return;
    }
    const rest = this.decoder.decode();
    this.decoder = undefined;
    this.sink.write(rest);
  }

  private start(label: string, head: Buffer): void {
    const decoder = createTextDecoder(label);
    if (!this.textOnly && decoder.encoding === 'utf-8') {
      this.passBytes = true;
      // TextDecoder drops a UTF-8 BOM at the start of its stream; so does this.
      this.writeBytes(head, head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0);
      return;
    }
    this.decoder = decoder;
    this.sink.write(decoder.decode(head, { stream: true }));
  }

  private writeBytes(chunk: Uint8Array, from: number): void {
    if (chunk.byteLength > from) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const view = from === 0 ? bytes : bytes.subarray(from);
      (this.sink.writeUtf8Bytes as (latin1: string, bytes: Buffer) => void).call(this.sink, view.toString('latin1'), view);
    }
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
