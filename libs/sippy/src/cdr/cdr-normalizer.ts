import { XmlRpcI8 } from '../codec/xml-rpc.types';
import { parseSippyTime } from '../time/sippy-time';
import { resolveCdrDirection, type CdrDirectionRules } from './cdr-direction';
import { CdrNormalizationError } from './cdr-normalization.error';
import type { Cdr, CdrStatus, RawCdr } from './cdr.model';
import { describeSippyResult } from './sippy-result';
import { resolveCountryCode } from './country-code';

/**
 * Source field names per canonical field, in priority order (first usable value wins). Keys are
 * matched case-insensitively, so `CLI`, `Cli` and `cli` are the same field. This table is the
 * single source of truth for docs/cdr-normalization.md.
 */
export const CDR_FIELD_ALIASES = Object.freeze({
  id: ['i_cdr', 'id', 'cdr_id', 'i_cdrs_customer'],
  call_id: ['call_id', 'callid', 'sip_call_id'],
  caller: ['cli', 'from_number', 'caller', 'src', 'caller_id', 'calling_number', 'ani', 'cli_in'],
  callee: ['cld', 'to_number', 'callee', 'dst', 'called_number', 'dnis', 'cld_in'],
  connect_time: ['connect_time', 'answer_time', 'answered_at', 'answer'],
  setup_time: ['setup_time', 'calldate', 'invite_time'],
  start_time: ['start_time', 'start', 'started_at', 'call_start'],
  disconnect_time: ['disconnect_time', 'end_time', 'end', 'ended_at', 'hangup_time'],
  duration: ['duration', 'call_duration', 'elapsed', 'elapsed_time'],
  billed_duration: ['billed_duration', 'billsec', 'billable_seconds'],
  result: ['result', 'result_code'],
  sip_code: ['sip_code', 'sip_status', 'sip_response_code'],
  disposition: ['status', 'disposition', 'call_status'],
  disconnect_reason: ['disconnect_reason', 'hangup_reason', 'hangup_cause_text'],
  release_source: ['release_source', 'disconnect_initiator', 'hangup_source', 'hangup_by'],
  direction: ['direction', 'call_direction'],
  country: ['country', 'country_name', 'destination_country', 'country_iso'],
  city: ['area_name', 'city', 'destination_city', 'description'],
  cost: ['cost', 'charged_amount', 'call_cost', 'amount'],
  currency: ['currency', 'payment_currency', 'base_currency'],
  trunk: [
    'trunk',
    'trunk_name',
    'vendor',
    'vendor_name',
    'connection',
    'connection_name',
    'i_connection',
    'i_vendor',
    'dstchannel',
    'gateway',
  ],
  codec: ['codec', 'codecs', 'audio_codec'],
  account: ['i_account', 'account', 'accountcode', 'username', 'account_id'],
  remote_ip: ['remote_ip', 'src_ip', 'source_ip', 'caller_ip'],
} as const satisfies Record<string, readonly string[]>);

export type CdrAliasField = keyof typeof CDR_FIELD_ALIASES;

export interface CdrNormalizerOptions {
  /** Used when the record has no currency field (e.g. the Sippy customer's base currency). ISO 4217. */
  defaultCurrency?: string | null;
  direction?: CdrDirectionRules;
  /**
   * Override the id fields and their order (default {@link CDR_FIELD_ALIASES}.id). E.g. a getCustomerCDRs
   * sync may prefer `['i_cdrs_customer']`. The `i_call:i_customer` fallback still applies.
   */
  idFields?: readonly string[];
}

export interface CdrNormalizationRejection {
  index: number;
  error: CdrNormalizationError;
}

export interface CdrNormalizationBatch {
  cdrs: Cdr[];
  rejected: CdrNormalizationRejection[];
}

/** Area descriptions that name a destination type, not a place (never used as `city`). */
const DESTINATION_TYPE_WORDS = new Set([
  'mobile',
  'fixed',
  'landline',
  'cellular',
  'gsm',
  'premium',
  'special',
  'tollfree',
  'toll-free',
  'shared',
  'satellite',
  'pager',
  'voip',
  'other',
]);

const SMALL_WORDS = new Set(['and', 'of', 'the', 'da', 'de', 'del', 'di', 'du', 'la', 'le']);

const DISPOSITIONS: Readonly<Record<string, CdrStatus>> = Object.freeze({
  answered: 'completed',
  answer: 'completed',
  completed: 'completed',
  complete: 'completed',
  success: 'completed',
  successful: 'completed',
  connected: 'completed',
  ok: 'completed',
  noanswer: 'no_answer',
  unanswered: 'no_answer',
  notanswered: 'no_answer',
  timeout: 'no_answer',
  busy: 'busy',
  failed: 'failed',
  fail: 'failed',
  failure: 'failed',
  error: 'failed',
  congestion: 'failed',
  chanunavail: 'failed',
  cancel: 'cancelled',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  abandoned: 'cancelled',
  rejected: 'rejected',
  reject: 'rejected',
  declined: 'rejected',
  decline: 'rejected',
  forbidden: 'rejected',
  unknown: 'unknown',
});

/**
 * Which keys of a record hold each lower-cased field name, in key order. Records of one page share
 * their keys (same names, same order), so the plan of the last key list is reused.
 */
type KeyPlan = ReadonlyMap<string, readonly string[]>;

/** The alias names (all lower case already), so looking one up needs no toLowerCase. */
const LOWER_CASE_FIELDS: ReadonlySet<string> = new Set(
  [...Object.values(CDR_FIELD_ALIASES).flat(), 'i_call', 'i_customer', 'country_iso', 'country_code', 'iso_country'].filter(
    (field) => field === field.toLowerCase(),
  ),
);

function lowerCaseField(field: string): string {
  return LOWER_CASE_FIELDS.has(field) ? field : field.toLowerCase();
}

let lastKeys: readonly string[] = [];
let lastPlan: KeyPlan = new Map();

function keyPlan(keys: readonly string[]): KeyPlan {
  if (keys.length === lastKeys.length) {
    let same = true;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== lastKeys[i]) {
        same = false;
        break;
      }
    }
    if (same) {
      return lastPlan;
    }
  }
  const plan = new Map<string, string[]>();
  for (const key of keys) {
    const lower = key.toLowerCase();
    const list = plan.get(lower);
    if (list === undefined) {
      plan.set(lower, [key]);
    } else {
      list.push(key);
    }
  }
  lastKeys = keys;
  lastPlan = plan;
  return plan;
}

/** Case-insensitive view of a record; `null`, `undefined`, blank and `'<nil/>'` count as absent. */
class FieldReader {
  private readonly plan: KeyPlan;

  constructor(private readonly record: RawCdr) {
    this.plan = keyPlan(Object.keys(record));
  }

  /** Every present value of the given fields, in alias order. */
  candidates(fields: readonly string[]): unknown[] {
    const values: unknown[] = [];
    for (const field of fields) {
      for (const key of this.plan.get(lowerCaseField(field)) ?? []) {
        const value = this.record[key];
        if (!isAbsent(value)) {
          values.push(value);
        }
      }
    }
    return values;
  }

  /** First candidate the parser accepts (returns non-null for). */
  first<T>(fields: readonly string[], parse: (value: unknown) => T | null): T | null {
    for (const field of fields) {
      const keys = this.plan.get(lowerCaseField(field));
      if (keys === undefined) {
        continue;
      }
      for (const key of keys) {
        const value = this.record[key];
        if (!isAbsent(value)) {
          const parsed = parse(value);
          if (parsed !== null) {
            return parsed;
          }
        }
      }
    }
    return null;
  }
}

/** `'<nil/>'` in any case (the check every blank-or-nil test needs, without lower-casing every string). */
function isNilText(text: string): boolean {
  return text.length === 6 && text.toLowerCase() === '<nil/>';
}

function isAbsent(value: unknown): boolean {
  if (value === null || value === undefined) {
    return true;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' || isNilText(text);
  }
  return false;
}

/** Trimmed text of a string/number/bigint/XmlRpcI8; null for anything else or blank. */
function cleanString(value: unknown): string | null {
  let text: string;
  if (typeof value === 'string') {
    text = value.trim();
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      return null;
    }
    text = String(value);
  } else if (typeof value === 'bigint') {
    text = value.toString();
  } else if (value instanceof XmlRpcI8) {
    text = value.digits;
  } else {
    return null;
  }
  return text === '' || isNilText(text) ? null : text;
}

/**
 * A positive integer id as a canonical decimal string (no leading zeros). Accepts safe-integer
 * numbers, digit strings of any length (ids above 2^53 arrive as strings), bigints and XmlRpcI8.
 * Numbers beyond 2^53 are refused: their digits are already wrong.
 */
export function normalizeCdrId(value: unknown): string | null {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  }
  const text = cleanString(value);
  if (text === null || !/^\+?\d+$/.test(text)) {
    return null;
  }
  const digits = text.replace(/^\+/, '').replace(/^0+(?=\d)/, '');
  return /^0+$/.test(digits) ? null : digits;
}

/**
 * A non-numeric string id kept verbatim (trimmed): 1–200 visible characters, no whitespace. Strings
 * that look numeric but are not positive integers (`'0'`, `'-5'`, `'1.5'`) are refused, not kept.
 */
function opaqueId(value: unknown): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  const text = value.trim();
  if (!/^[\x21-\x7e\u00a1-\uffff]{1,200}$/.test(text) || /^[+-]?[\d.,]+(?:e[+-]?\d+)?$/i.test(text)) {
    return null;
  }
  return isNilText(text) ? null : text;
}

/**
 * Parses a number from a number, bigint or numeric string (`'12.5'`, `'12,5'`, `' 1e3 '`,
 * `'1.234,56'`, `'1,234.56'`). When both `,` and `.` occur, the last one is the decimal separator;
 * a lone `,` is a decimal separator. Never NaN/Infinity: unparseable → null.
 */
export function parseCdrNumber(value: unknown): number | null {
  if (typeof value === 'number') {
    // -0 becomes 0: Intl formats -0 as "-$0.00" and it would reach the CRM that way.
    return Number.isFinite(value) ? value + 0 : null;
  }
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  if (value instanceof XmlRpcI8) {
    return parseCdrNumber(value.digits);
  }
  if (typeof value !== 'string') {
    return null;
  }
  let text = value.trim().replace(/\s+/g, '');
  if (text === '') {
    return null;
  }
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    text = lastComma > lastDot ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  } else if (lastComma >= 0) {
    if (text.indexOf(',') !== lastComma) {
      return null; // '1,234,567' — ambiguous without a locale
    }
    text = text.replace(',', '.');
  }
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) {
    return null;
  }
  const n = Number(text);
  return Number.isFinite(n) ? n + 0 : null; // '-0' → 0
}

/** Seconds: a loose number that is ≥ 0. Negative values are data errors and become null (unknown). */
function parseSeconds(value: unknown): number | null {
  const n = parseCdrNumber(value);
  return n === null || n < 0 ? null : n;
}

function parseInteger(value: unknown): number | null {
  const n = parseCdrNumber(value);
  return n !== null && Number.isSafeInteger(n) ? n : null;
}

/**
 * A phone number or SIP user as shown in the CRM: trimmed; a display name and `<…>` removed;
 * `sip:`/`sips:`/`tel:` scheme, `@host` and `;params` stripped; when what is left is a number written
 * with separators (`+90 (532) 123-45-67`), the separators are dropped. A leading `+` is kept and no
 * country code is ever added. Non-numeric users (`anonymous`, `alice`) are kept as written.
 */
export function normalizePhoneNumber(value: unknown): string | null {
  let text = cleanString(value);
  if (text === null) {
    return null;
  }
  if (isPlainNumber(text)) {
    return text; // digits with an optional leading '+': nothing below would change them
  }
  // What `/<([^>]*)>/` would capture, without its quadratic backtracking on a long run of '<'.
  const open = text.indexOf('<');
  const close = open === -1 ? -1 : text.indexOf('>', open + 1);
  if (close !== -1) {
    text = text.slice(open + 1, close).trim();
  }
  text = text.replace(/^(?:sips?|tel):/i, '');
  text = text.split('@')[0].split(';')[0].trim();
  if (/^\+?[\d\s().-]+$/.test(text) && /\d/.test(text)) {
    const plus = text.startsWith('+') ? '+' : '';
    text = plus + text.replace(/\D/g, '');
  }
  return text === '' || text === '+' ? null : text;
}

/** `+?\d+`. */
function isPlainNumber(text: string): boolean {
  const from = text.charCodeAt(0) === 0x2b ? 1 : 0;
  if (text.length === from) {
    return false;
  }
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) {
      return false;
    }
  }
  return true;
}

/**
 * A small memo for pure functions of CDR text that repeat page after page (country and area names):
 * cleared when full, so hostile input costs memory only up to `limit` entries.
 */
class TextMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly limit: number) {}

  get(text: string, compute: (text: string) => T): T {
    const known = this.entries.get(text);
    if (known !== undefined || this.entries.has(text)) {
      return known as T;
    }
    const value = compute(text);
    if (this.entries.size >= this.limit) {
      this.entries.clear();
    }
    this.entries.set(text, value);
    return value;
  }
}

const MEMO_LIMIT = 2048;
const placeNames = new TextMemo<string | null>(MEMO_LIMIT);
const cities = new TextMemo<string | null>(MEMO_LIMIT);

function titleCaseWord(word: string, index: number): string {
  const lower = word.toLowerCase();
  if (index > 0 && SMALL_WORDS.has(lower)) {
    return lower;
  }
  // Capitalise after start, '-', '\'' and '.' ("GUINEA-BISSAU" → "Guinea-Bissau", "COTE D'IVOIRE" → "Cote D'Ivoire").
  return lower.replace(/(^|[-'.(])(\p{L})/gu, (_match, sep: string, letter: string) => sep + letter.toUpperCase());
}

/**
 * A place name for display: ALL-CAPS names (`TURKEY`, `UNITED KINGDOM`) become title case; 2–3 letter
 * codes (`TR`, `gbr`) are upper-cased as ISO codes; names already in mixed case are kept.
 */
export function normalizePlaceName(value: unknown): string | null {
  const cleaned = cleanString(value);
  return cleaned === null ? null : placeNames.get(cleaned, placeName);
}

function placeName(cleaned: string): string | null {
  const text = cleaned.replace(/\s+/g, ' ');
  if (/^\p{L}{2,3}$/u.test(text) && (text === text.toUpperCase() || text === text.toLowerCase())) {
    return text.toUpperCase();
  }
  if (text === text.toUpperCase() && text !== text.toLowerCase()) {
    return text
      .split(' ')
      .map((word, index) => titleCaseWord(word, index))
      .join(' ');
  }
  return text;
}

function parseCity(value: unknown): string | null {
  const cleaned = cleanString(value);
  return cleaned === null ? null : cities.get(cleaned, cityName);
}

function cityName(cleaned: string): string | null {
  const name = normalizePlaceName(cleaned);
  if (name === null) {
    return null;
  }
  const firstWord = name.toLowerCase().split(/[\s/,:]+/)[0];
  const compact = name.toLowerCase().replace(/[\s-]+/g, '');
  return DESTINATION_TYPE_WORDS.has(firstWord) || DESTINATION_TYPE_WORDS.has(compact) ? null : name;
}

function parseCurrency(value: unknown): string | null {
  const text = cleanString(value)?.toUpperCase() ?? null;
  return text !== null && /^[A-Z]{3}$/.test(text) ? text : null;
}

function parseCodec(value: unknown): string | null {
  if (Array.isArray(value)) {
    const parts = value.map(cleanString).filter((part): part is string => part !== null);
    return parts.length > 0 ? parts.join(',') : null;
  }
  return cleanString(value);
}

/** IPv4 `a.b.c.d:port` and `[v6]:port` lose the port; anything else is kept trimmed. */
function parseIp(value: unknown): string | null {
  const text = cleanString(value);
  if (text === null) {
    return null;
  }
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  if (v4) {
    return v4[1];
  }
  const v6 = /^\[([0-9a-f:.]+)\](?::\d+)?$/i.exec(text);
  return v6 ? v6[1] : text;
}

function parseDisposition(value: unknown): CdrStatus | null {
  const text = cleanString(value);
  if (text === null) {
    return null;
  }
  const key = text.toLowerCase().replace(/[\s_-]+/g, '');
  // Own keys only: a status of 'constructor' must not resolve to Object.prototype.constructor.
  return Object.hasOwn(DISPOSITIONS, key) ? DISPOSITIONS[key] : null;
}

function parseTime(value: unknown): Date | null {
  return parseSippyTime(value);
}

function isRecord(value: unknown): value is RawCdr {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function resolveId(reader: FieldReader, record: RawCdr, idFields: readonly string[]): string {
  const id = reader.first(idFields, normalizeCdrId);
  if (id !== null) {
    return id;
  }
  // getCustomerCDRs rows carry no i_cdr; one row per (call, customer) — §4.3.
  const call = reader.first(['i_call'], normalizeCdrId);
  const customer = reader.first(['i_customer'], normalizeCdrId);
  if (call !== null && customer !== null) {
    return `${call}:${customer}`;
  }
  // Last resort: an opaque string id (listAllCalls `ID` = '1-2997@198.51.100.20', other sources' UUIDs).
  const opaque = reader.first(idFields, opaqueId);
  if (opaque !== null) {
    return opaque;
  }
  throw new CdrNormalizationError(
    'missing_id',
    `CDR has no usable id (looked for ${idFields.join(', ')}, or i_call + i_customer)`,
    Object.keys(record),
  );
}

const DISPOSITION_FIELDS: readonly string[] = [...CDR_FIELD_ALIASES.disposition, ...CDR_FIELD_ALIASES.result];

interface Outcome {
  status: CdrStatus;
  result: number | null;
  sip_code: number | null;
  disconnect_reason: string | null;
}

function resolveOutcome(reader: FieldReader, duration: number | null): Outcome {
  const explicitReason = reader.first(CDR_FIELD_ALIASES.disconnect_reason, cleanString);
  const result = reader.first(CDR_FIELD_ALIASES.result, parseInteger);
  if (result !== null) {
    const described = describeSippyResult(result);
    return {
      status: described.status,
      result,
      sip_code: described.sipCode,
      disconnect_reason: described.reason ?? explicitReason,
    };
  }
  const sipCode = reader.first(CDR_FIELD_ALIASES.sip_code, parseInteger);
  if (sipCode !== null && sipCode >= 100 && sipCode < 700) {
    const described = describeSippyResult(sipCode);
    return { status: described.status, result: null, sip_code: sipCode, disconnect_reason: explicitReason ?? described.reason };
  }
  // A non-numeric `result` (e.g. "ANSWERED") is read like a disposition.
  for (const value of reader.candidates(DISPOSITION_FIELDS)) {
    const status = parseDisposition(value);
    if (status !== null) {
      return { status, result: null, sip_code: null, disconnect_reason: explicitReason ?? cleanString(value) };
    }
  }
  return {
    status: duration !== null && duration > 0 ? 'completed' : 'unknown',
    result: null,
    sip_code: null,
    disconnect_reason: explicitReason,
  };
}

/**
 * Normalizes one raw CDR (a Sippy getAccountCDRs/getCustomerCDRs/listAllCalls struct, or another
 * source's JSON) into the canonical {@link Cdr}. Every key is present; null means unknown.
 * See docs/cdr-normalization.md for the full mapping.
 *
 * @throws CdrNormalizationError when the record is not an object or has no usable id.
 */
export function normalizeCdr(raw: RawCdr, options: CdrNormalizerOptions = {}): Cdr {
  if (!isRecord(raw)) {
    throw new CdrNormalizationError('invalid_record', 'CDR record is not an object');
  }
  const reader = new FieldReader(raw);
  const id = resolveId(reader, raw, options.idFields ?? CDR_FIELD_ALIASES.id);

  const connect = reader.first(CDR_FIELD_ALIASES.connect_time, parseTime);
  const setup = reader.first(CDR_FIELD_ALIASES.setup_time, parseTime);
  const startAlias = reader.first(CDR_FIELD_ALIASES.start_time, parseTime);
  const disconnect = reader.first(CDR_FIELD_ALIASES.disconnect_time, parseTime);
  const start = connect ?? setup ?? startAlias;

  let duration = reader.first(CDR_FIELD_ALIASES.duration, parseSeconds);
  if (duration === null && connect !== null && disconnect !== null && disconnect >= connect) {
    // Talk time from the answer and hang-up instants (only from a real connect time, never setup).
    duration = (disconnect.getTime() - connect.getTime()) / 1000;
  }
  let end = disconnect;
  if (end === null && start !== null && duration !== null) {
    const endMs = start.getTime() + Math.round(duration * 1000);
    end = Number.isFinite(endMs) && Math.abs(endMs) <= 8.64e15 ? new Date(endMs) : null;
  }

  const caller = reader.first(CDR_FIELD_ALIASES.caller, normalizePhoneNumber);
  const callee = reader.first(CDR_FIELD_ALIASES.callee, normalizePhoneNumber);
  const account = reader.first(CDR_FIELD_ALIASES.account, cleanString);
  const outcome = resolveOutcome(reader, duration);
  const explicitDirection = reader.first(CDR_FIELD_ALIASES.direction, cleanString);
  const country = reader.first(CDR_FIELD_ALIASES.country, normalizePlaceName);

  return {
    id,
    call_id: reader.first(CDR_FIELD_ALIASES.call_id, cleanString),
    caller,
    callee,
    start_time: start?.toISOString() ?? null,
    end_time: end?.toISOString() ?? null,
    setup_time: setup?.toISOString() ?? null,
    duration,
    billed_duration: reader.first(CDR_FIELD_ALIASES.billed_duration, parseSeconds),
    status: outcome.status,
    result: outcome.result,
    sip_code: outcome.sip_code,
    disconnect_reason: outcome.disconnect_reason,
    release_source: reader.first(CDR_FIELD_ALIASES.release_source, (v) => cleanString(v)?.toLowerCase() ?? null),
    direction: resolveCdrDirection({ explicit: explicitDirection, account, caller, callee }, options.direction),
    country,
    country_code: resolveCountryCode({ iso: reader.first(['country_iso', 'country_code', 'iso_country'], cleanString), callee, country }),
    city: reader.first(CDR_FIELD_ALIASES.city, parseCity),
    cost: reader.first(CDR_FIELD_ALIASES.cost, parseCdrNumber),
    currency: reader.first(CDR_FIELD_ALIASES.currency, parseCurrency) ?? parseCurrency(options.defaultCurrency),
    trunk: reader.first(CDR_FIELD_ALIASES.trunk, cleanString),
    codec: reader.first(CDR_FIELD_ALIASES.codec, parseCodec),
    account,
    remote_ip: reader.first(CDR_FIELD_ALIASES.remote_ip, parseIp),
  };
}

/** {@link normalizeCdr} with options bound once (one per switch/source). */
export class CdrNormalizer {
  constructor(private readonly options: CdrNormalizerOptions = {}) {}

  normalize(raw: RawCdr): Cdr {
    return normalizeCdr(raw, this.options);
  }

  /**
   * Normalizes a page of records; records that cannot be normalized are returned in `rejected`
   * (with their index) instead of failing the page. Other errors propagate.
   */
  normalizeMany(raws: readonly unknown[]): CdrNormalizationBatch {
    const batch: CdrNormalizationBatch = { cdrs: [], rejected: [] };
    raws.forEach((raw, index) => {
      try {
        if (!isRecord(raw)) {
          throw new CdrNormalizationError('invalid_record', `CDR record #${index} is not an object`);
        }
        batch.cdrs.push(normalizeCdr(raw, this.options));
      } catch (error) {
        if (error instanceof CdrNormalizationError) {
          batch.rejected.push({ index, error });
        } else {
          throw error;
        }
      }
    });
    return batch;
  }
}
