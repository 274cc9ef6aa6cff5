import { SaxesParser, type SaxesTagPlain, type XMLDecl } from 'saxes';

import {
  XML_RPC_DEFAULT_MAX_DEPTH,
  type DecodeOptions,
  type XmlRpcMethodCall,
  type XmlSource,
} from '../src/codec/xml-rpc-decoder';
import { faultError, malformed, safeName } from '../src/codec/xml-rpc-decode-errors';
import {
  decodeBase64,
  decodeBoolean,
  decodeDateTime,
  decodeDoubleFull,
  decodeIntegerFull,
} from '../src/codec/xml-rpc-scalars';
import type { XmlRpcStruct, XmlRpcValue } from '../src/codec/xml-rpc.types';
import { pumpXmlText, type XmlTextSink } from '../src/codec/xml-text-input';
import { SippyError } from '../src/errors/sippy.error';

/*
 * The previous XML-RPC decoder (until issue #12), kept as a second oracle: the differential fuzz
 * (xml-rpc-decoder.differential.spec.ts) checks that the dedicated scanner in
 * src/codec/xml-rpc-decoder.ts decodes every input to the same value or the same error kind, and
 * `npm run bench` measures both. Not used by production code. Only its saxes event layer (the
 * XML grammar and the element rules) is its own: the byte → text input, the scalar rules (the
 * full-rule functions, which the scanner's fast paths must agree with) and the fault/error
 * helpers are the scanner's, so the two cannot drift apart there.
 */

/**
 * Streaming XML-RPC `<methodResponse>` decoder on `saxes` (strict XML, no intermediate DOM:
 * values are built on stacks as SAX events arrive, so a multi-megabyte CDR page is decoded chunk
 * by chunk while it downloads).
 *
 * Source: a string, a Uint8Array, or an AsyncIterable of chunks (undici response bodies and Node
 * Readables are async iterables of Buffers). Bytes are decoded incrementally (TextDecoder stream
 * mode, so a multi-byte character split across chunks is fine), as UTF-8 unless a BOM or the XML
 * declaration names another encoding TextDecoder knows. Invalid byte sequences become U+FFFD
 * rather than failing a whole page.
 *
 * Values: `int`/`i4`/`i8` (also Apache `ex:i1`/`ex:i2`/`ex:biginteger`) → number when a safe
 * integer, else the canonical decimal string (no precision loss); `double` (`ex:float`) → number;
 * `boolean` 0/1 → boolean; `string` and a bare `<value>text</value>` → string (whitespace
 * preserved), empty value → ""; `nil`/`ex:nil` → null; `base64` → Buffer;
 * `dateTime.iso8601` (`ex:dateTime`) → Date, zone-less read as UTC whatever the process TZ;
 * `struct` → plain object (a duplicate member: the last wins); `array` → array.
 *
 * Rejects with SippyError:
 * - 'fault' — a well-formed `<fault>` (faultCode, faultString set; message `XML-RPC fault <code>: <string>`);
 * - 'malformed' — not a single-value methodResponse: not well-formed XML, HTML error page,
 *   truncated body, unknown element, text outside values, DOCTYPE, nesting deeper than maxDepth,
 *   no or several params, invalid scalar text. Messages are short and never echo the body;
 * - 'too_large' — more than maxBytes bytes; reading stops there (the iterator is closed).
 * Throws TypeError (as a rejection) for an invalid source or options (programming errors).
 */
export async function decodeMethodResponseSaxes(source: XmlSource, options: DecodeOptions = {}): Promise<XmlRpcValue> {
  const decoder = new XmlRpcDecoder('response', resolveMaxDepth(options));
  await pumpXmlText(source, decoder, resolveMaxBytes(options));
  return decoder.responseValue();
}

/**
 * Decodes a `<methodCall>` with the same value rules as decodeMethodResponse (for servers and the
 * simulator). Rejects with SippyError 'malformed' / 'too_large' like decodeMethodResponse.
 */
export async function decodeMethodCallSaxes(source: XmlSource, options: DecodeOptions = {}): Promise<XmlRpcMethodCall> {
  const decoder = new XmlRpcDecoder('call', resolveMaxDepth(options));
  await pumpXmlText(source, decoder, resolveMaxBytes(options));
  return decoder.methodCall();
}

// ---------------------------------------------------------------------------------------------
// The decoder: SAX events → values on stacks
// ---------------------------------------------------------------------------------------------

const enum Kind {
  Document,
  MethodResponse,
  MethodCall,
  MethodName,
  Params,
  Param,
  Fault,
  Value,
  Scalar,
  Struct,
  Member,
  Name,
  Array,
  Data,
}

const KIND_TAG: Record<Kind, string> = {
  [Kind.Document]: '(document)',
  [Kind.MethodResponse]: 'methodResponse',
  [Kind.MethodCall]: 'methodCall',
  [Kind.MethodName]: 'methodName',
  [Kind.Params]: 'params',
  [Kind.Param]: 'param',
  [Kind.Fault]: 'fault',
  [Kind.Value]: 'value',
  [Kind.Scalar]: '(scalar)',
  [Kind.Struct]: 'struct',
  [Kind.Member]: 'member',
  [Kind.Name]: 'name',
  [Kind.Array]: 'array',
  [Kind.Data]: 'data',
};

const enum Scalar {
  Int,
  Double,
  Boolean,
  String,
  Base64,
  DateTime,
  Nil,
}

/** Type elements, by local name (a namespace prefix such as Apache's `ex:` is ignored). */
const SCALAR_TAGS: ReadonlyMap<string, Scalar> = new Map([
  ['int', Scalar.Int],
  ['i4', Scalar.Int],
  ['i8', Scalar.Int],
  ['i1', Scalar.Int], // Apache ws-xmlrpc extensions
  ['i2', Scalar.Int],
  ['biginteger', Scalar.Int],
  ['double', Scalar.Double],
  ['float', Scalar.Double],
  ['boolean', Scalar.Boolean],
  ['string', Scalar.String],
  ['base64', Scalar.Base64],
  ['dateTime.iso8601', Scalar.DateTime],
  ['dateTime', Scalar.DateTime],
  ['nil', Scalar.Nil],
]);

class XmlRpcDecoder implements XmlTextSink {
  private readonly parser: SaxesParser<{ xmlns: false; position: false }>;
  private readonly mode: 'response' | 'call';
  private readonly maxDepth: number;

  /** Open elements, innermost last; `kind` mirrors the top. */
  private readonly kinds: Kind[] = [Kind.Document];
  private kind: Kind = Kind.Document;
  /** Text of the innermost text-holding element (value, scalar, name, methodName). */
  private text = '';
  private scalar: Scalar = Scalar.String;
  private scalarTag = '';

  // Per open <value>: whether a type element was seen, and its decoded value.
  private valueDepth = -1;
  private readonly valueTyped: boolean[] = [];
  private readonly valueResult: XmlRpcValue[] = [];

  // Per open <struct>/<array>.
  private containerDepth = -1;
  private readonly containers: (XmlRpcValue[] | XmlRpcStruct)[] = [];
  private readonly arrayHasData: boolean[] = [];

  // Per open <member>.
  private memberDepth = -1;
  private readonly memberName: (string | undefined)[] = [];
  private readonly memberValue: XmlRpcValue[] = [];
  private readonly memberHasValue: boolean[] = [];

  // Document level.
  private sawBody = false; // <params> or <fault>
  private methodNameText: string | undefined;
  private readonly params: XmlRpcValue[] = [];
  private paramValue: XmlRpcValue = null;
  private paramHasValue = false;
  private fault: XmlRpcValue = null;
  private faultHasValue = false;
  private isFault = false;
  private done = false;

  constructor(mode: 'response' | 'call', maxDepth: number) {
    this.mode = mode;
    this.maxDepth = maxDepth;
    this.parser = new SaxesParser({ xmlns: false, position: false });
    this.parser.on('opentag', (tag) => { this.onOpenTag(tag); });
    this.parser.on('closetag', () => { this.onCloseTag(); });
    this.parser.on('text', (text) => { this.onText(text); });
    this.parser.on('cdata', (text) => { this.onText(text); });
    this.parser.on('doctype', () => {
      throw malformed('DOCTYPE declarations are not allowed in XML-RPC');
    });
    this.parser.on('xmldecl', (decl: XMLDecl) => {
      if (decl.version !== undefined && decl.version !== '1.0' && decl.version !== '1.1') {
        throw malformed('unsupported XML version');
      }
    });
  }

  write(text: string): void {
    if (text.length === 0) {
      return;
    }
    try {
      this.parser.write(text);
    } catch (error) {
      throw asMalformed(error);
    }
  }

  end(): void {
    try {
      this.parser.close();
    } catch (error) {
      throw asMalformed(error);
    }
    if (!this.done) {
      throw malformed('truncated document');
    }
  }

  responseValue(): XmlRpcValue {
    if (this.isFault) {
      throw faultError(this.fault);
    }
    if (this.params.length !== 1) {
      throw malformed('methodResponse has no value (empty <params>)');
    }
    return this.params[0];
  }

  methodCall(): XmlRpcMethodCall {
    if (this.methodNameText === undefined) {
      throw malformed('methodCall has no <methodName>');
    }
    return { methodName: this.methodNameText, params: this.params };
  }

  // -- SAX handlers ---------------------------------------------------------------------------

  private onOpenTag(tag: SaxesTagPlain): void {
    const name = tag.name;
    let next: Kind;
    switch (this.kind) {
      case Kind.Document:
        next = this.openRoot(name);
        break;
      case Kind.MethodResponse:
        if (name !== 'params' && name !== 'fault') {
          throw unexpected(name, this.kind);
        }
        if (this.sawBody) {
          throw malformed('methodResponse has more than one <params>/<fault>');
        }
        this.sawBody = true;
        if (name === 'fault') {
          this.isFault = true;
          next = Kind.Fault;
        } else {
          next = Kind.Params;
        }
        break;
      case Kind.MethodCall:
        if (name === 'methodName' && this.methodNameText === undefined && !this.sawBody) {
          this.text = '';
          next = Kind.MethodName;
        } else if (name === 'params' && !this.sawBody) {
          this.sawBody = true;
          next = Kind.Params;
        } else {
          throw unexpected(name, this.kind);
        }
        break;
      case Kind.Params:
        if (name !== 'param') {
          throw unexpected(name, this.kind);
        }
        if (this.mode === 'response' && this.params.length > 0) {
          throw malformed('methodResponse has more than one <param>');
        }
        this.paramHasValue = false;
        next = Kind.Param;
        break;
      case Kind.Param:
      case Kind.Fault:
        if (name !== 'value') {
          throw unexpected(name, this.kind);
        }
        if (this.kind === Kind.Param ? this.paramHasValue : this.faultHasValue) {
          throw malformed(`<${KIND_TAG[this.kind]}> has more than one <value>`);
        }
        next = this.openValue();
        break;
      case Kind.Value:
        next = this.openType(name);
        break;
      case Kind.Struct:
        if (name !== 'member') {
          throw unexpected(name, this.kind);
        }
        this.memberDepth++;
        this.memberName[this.memberDepth] = undefined;
        this.memberHasValue[this.memberDepth] = false;
        next = Kind.Member;
        break;
      case Kind.Member:
        if (name === 'name') {
          if (this.memberName[this.memberDepth] !== undefined) {
            throw malformed('struct member has more than one <name>');
          }
          this.text = '';
          next = Kind.Name;
        } else if (name === 'value') {
          if (this.memberHasValue[this.memberDepth]) {
            throw malformed('struct member has more than one <value>');
          }
          next = this.openValue();
        } else {
          throw unexpected(name, this.kind);
        }
        break;
      case Kind.Array:
        if (name !== 'data') {
          throw unexpected(name, this.kind);
        }
        if (this.arrayHasData[this.containerDepth]) {
          throw malformed('array has more than one <data>');
        }
        this.arrayHasData[this.containerDepth] = true;
        next = Kind.Data;
        break;
      case Kind.Data:
        if (name !== 'value') {
          throw unexpected(name, this.kind);
        }
        next = this.openValue();
        break;
      default:
        // Scalar, Name, MethodName hold text only.
        throw malformed(`unexpected element <${safeName(name)}> inside <${this.currentTag()}>`);
    }
    this.kinds.push(next);
    this.kind = next;
  }

  private openRoot(name: string): Kind {
    if (this.done) {
      throw malformed('more than one root element');
    }
    const expected = this.mode === 'response' ? 'methodResponse' : 'methodCall';
    if (name !== expected) {
      if (name.toLowerCase() === 'html') {
        throw malformed(`the body is an HTML page, not an XML-RPC ${expected}`);
      }
      throw malformed(`expected <${expected}> as the root element, got <${safeName(name)}>`);
    }
    return this.mode === 'response' ? Kind.MethodResponse : Kind.MethodCall;
  }

  private openValue(): Kind {
    const depth = ++this.valueDepth;
    this.valueTyped[depth] = false;
    this.text = '';
    return Kind.Value;
  }

  private openType(name: string): Kind {
    const depth = this.valueDepth;
    if (this.valueTyped[depth]) {
      throw malformed('<value> holds more than one typed element');
    }
    if (!isWhitespace(this.text)) {
      throw malformed('<value> mixes text and a typed element');
    }
    this.text = '';
    const colon = name.indexOf(':');
    const local = colon === -1 ? name : name.slice(colon + 1);
    if (local === 'struct' || local === 'array') {
      const container = ++this.containerDepth;
      if (container >= this.maxDepth) {
        throw malformed(`values nested deeper than ${this.maxDepth} levels`);
      }
      if (local === 'struct') {
        this.containers[container] = {};
        return Kind.Struct;
      }
      this.containers[container] = [];
      this.arrayHasData[container] = false;
      return Kind.Array;
    }
    const scalar = SCALAR_TAGS.get(local);
    if (scalar === undefined) {
      throw malformed(`unknown XML-RPC type <${safeName(name)}>`);
    }
    this.scalar = scalar;
    this.scalarTag = local;
    return Kind.Scalar;
  }

  private onText(text: string): void {
    switch (this.kind) {
      case Kind.Value:
        if (!this.valueTyped[this.valueDepth]) {
          this.text += text;
        } else if (!isWhitespace(text)) {
          throw malformed('<value> mixes text and a typed element');
        }
        return;
      case Kind.Scalar:
      case Kind.Name:
      case Kind.MethodName:
        this.text += text;
        return;
      default:
        if (!isWhitespace(text)) {
          throw malformed(`unexpected text inside <${this.currentTag()}>`);
        }
    }
  }

  private onCloseTag(): void {
    const closed = this.kind;
    this.kinds.pop();
    this.kind = this.kinds[this.kinds.length - 1];
    switch (closed) {
      case Kind.Scalar:
        this.typedValue(this.decodeScalar());
        this.text = '';
        return;
      case Kind.Struct:
      case Kind.Array: {
        const container = this.containers[this.containerDepth];
        this.containers[this.containerDepth--] = [];
        this.typedValue(container);
        return;
      }
      case Kind.Value: {
        const depth = this.valueDepth--;
        let value: XmlRpcValue;
        if (this.valueTyped[depth]) {
          value = this.valueResult[depth];
          this.valueResult[depth] = null;
        } else {
          value = this.text; // untyped value = string, whitespace preserved; empty → ""
        }
        this.text = '';
        this.deliver(value);
        return;
      }
      case Kind.Name:
        this.memberName[this.memberDepth] = this.text;
        this.text = '';
        return;
      case Kind.Member: {
        const depth = this.memberDepth--;
        const name = this.memberName[depth];
        if (name === undefined) {
          throw malformed('struct member without <name>');
        }
        if (!this.memberHasValue[depth]) {
          throw malformed('struct member without <value>');
        }
        const struct = this.containers[this.containerDepth] as XmlRpcStruct;
        const value = this.memberValue[depth];
        this.memberValue[depth] = null;
        if (name === '__proto__') {
          // keep it a member; plain assignment would replace the object's prototype
          Object.defineProperty(struct, name, { value, enumerable: true, writable: true, configurable: true });
        } else {
          struct[name] = value;
        }
        return;
      }
      case Kind.Param:
        if (!this.paramHasValue) {
          throw malformed('<param> without <value>');
        }
        this.params.push(this.paramValue);
        this.paramValue = null;
        return;
      case Kind.Fault:
        if (!this.faultHasValue) {
          throw malformed('<fault> without <value>');
        }
        return;
      case Kind.MethodName: {
        const methodName = this.text.trim();
        this.text = '';
        if (methodName.length === 0) {
          throw malformed('empty <methodName>');
        }
        this.methodNameText = methodName;
        return;
      }
      case Kind.MethodResponse:
        if (!this.sawBody) {
          throw malformed('methodResponse has neither <params> nor <fault>');
        }
        this.done = true;
        return;
      case Kind.MethodCall:
        if (this.methodNameText === undefined) {
          throw malformed('methodCall has no <methodName>');
        }
        this.done = true;
        return;
      default:
        // Params, Data: nothing to do.
        return;
    }
  }

  private typedValue(value: XmlRpcValue): void {
    this.valueTyped[this.valueDepth] = true;
    this.valueResult[this.valueDepth] = value;
  }

  /** Hands a finished <value> to its parent element (now on top of the stack). */
  private deliver(value: XmlRpcValue): void {
    switch (this.kind) {
      case Kind.Data:
        (this.containers[this.containerDepth] as XmlRpcValue[]).push(value);
        return;
      case Kind.Member:
        this.memberValue[this.memberDepth] = value;
        this.memberHasValue[this.memberDepth] = true;
        return;
      case Kind.Param:
        this.paramValue = value;
        this.paramHasValue = true;
        return;
      case Kind.Fault:
        this.fault = value;
        this.faultHasValue = true;
        return;
      default:
        throw malformed('misplaced <value>'); // unreachable: <value> only opens under the kinds above
    }
  }

  private decodeScalar(): XmlRpcValue {
    const text = this.text;
    switch (this.scalar) {
      case Scalar.String:
        return text;
      case Scalar.Int:
        return decodeIntegerFull(text, this.scalarTag);
      case Scalar.Double:
        return decodeDoubleFull(text, this.scalarTag);
      case Scalar.Boolean:
        return decodeBoolean(text);
      case Scalar.Nil:
        if (!isWhitespace(text)) {
          throw malformed('<nil> must be empty');
        }
        return null;
      case Scalar.Base64:
        return decodeBase64(text);
      case Scalar.DateTime:
        return decodeDateTime(text, this.scalarTag);
    }
  }

  private currentTag(): string {
    return this.kind === Kind.Scalar ? this.scalarTag : KIND_TAG[this.kind];
  }
}

// ---------------------------------------------------------------------------------------------
// Errors and helpers (scalars, faults, error messages and the byte → text input are the scanner's
// own: xml-rpc-scalars.ts — the full-rule paths, not the scanner's fast paths —,
// xml-rpc-decode-errors.ts and xml-text-input.ts)
// ---------------------------------------------------------------------------------------------

function unexpected(name: string, parent: Kind): SippyError {
  return malformed(`unexpected element <${safeName(name)}> inside <${KIND_TAG[parent]}>`);
}

/** Our own SippyErrors pass through; saxes well-formedness errors get a short, safe message. */
function asMalformed(error: unknown): SippyError {
  if (error instanceof SippyError) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  const short = message.length > 80 ? `${message.slice(0, 80)}…` : message;
  return malformed(`not well-formed XML (${short.replace(/[^\x20-\x7e]/g, '?')})`);
}

function isWhitespace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) {
      return false;
    }
  }
  return true;
}

function resolveMaxBytes(options: DecodeOptions): number {
  const { maxBytes } = options;
  if (maxBytes === undefined) {
    return Infinity;
  }
  if (typeof maxBytes !== 'number' || Number.isNaN(maxBytes) || maxBytes < 0) {
    throw new TypeError('decodeMethodResponse: maxBytes must be a non-negative number');
  }
  return maxBytes;
}

function resolveMaxDepth(options: DecodeOptions): number {
  const { maxDepth } = options;
  if (maxDepth === undefined) {
    return XML_RPC_DEFAULT_MAX_DEPTH;
  }
  if (!Number.isInteger(maxDepth) || maxDepth < 1) {
    throw new TypeError('decodeMethodResponse: maxDepth must be a positive integer');
  }
  return maxDepth;
}
