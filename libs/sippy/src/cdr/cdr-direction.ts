import { CDR_DIRECTIONS, type CdrDirection } from './cdr.model';

/**
 * How to tell inbound from outbound when the source does not say. Rules are applied in this order
 * (first match wins), after an explicit direction field on the record:
 * 1. `inboundAccounts` / `outboundAccounts` — the CDR's account (i_account, username…);
 * 2. `internalMaxDigits` — caller and callee are both digit-only numbers of at most N digits;
 * 3. `localNumberPrefixes` — our DIDs: caller and callee match → internal, callee → inbound,
 *    caller → outbound;
 * 4. `default` (itself defaulting to 'outbound': getAccountCDRs rows are account-originated calls).
 */
export interface CdrDirectionRules {
  inboundAccounts?: readonly string[];
  outboundAccounts?: readonly string[];
  /** Our numbers / DID ranges, compared on digits only (`+90 212` matches `902123…`). */
  localNumberPrefixes?: readonly string[];
  /** Both sides are short extensions (≤ N digits) → internal. */
  internalMaxDigits?: number;
  default?: CdrDirection;
}

const EXPLICIT_DIRECTIONS: Readonly<Record<string, CdrDirection>> = Object.freeze({
  in: 'inbound',
  inbound: 'inbound',
  incoming: 'inbound',
  inc: 'inbound',
  terminating: 'inbound',
  gelen: 'inbound',
  out: 'outbound',
  outbound: 'outbound',
  outgoing: 'outbound',
  originating: 'outbound',
  giden: 'outbound',
  internal: 'internal',
  local: 'internal',
  extension: 'internal',
  dahili: 'internal',
  unknown: 'unknown',
});

/**
 * Reads a direction value as sources write it (`in`, `Inbound`, `INCOMING`, `gelen`, `out`,
 * `outgoing`, `giden`, `internal`, `dahili`…). Case, spaces, `-`/`_` are ignored. Unrecognised → null.
 */
export function parseCdrDirection(value: unknown): CdrDirection | null {
  if (typeof value !== 'string') {
    return null;
  }
  const key = value.trim().toLowerCase().replace(/[\s_-]+/g, '');
  if (key === '') {
    return null;
  }
  // Own keys only: a direction of 'constructor' must not resolve to Object.prototype.constructor.
  if (Object.hasOwn(EXPLICIT_DIRECTIONS, key)) {
    return EXPLICIT_DIRECTIONS[key];
  }
  return (CDR_DIRECTIONS as readonly string[]).includes(key) ? (key as CdrDirection) : null;
}

function digitsOf(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) {
      return value.replace(/\D/g, '');
    }
  }
  return value; // already digits only
}

// The digit strings of the last prefix list (one per configured rule set, used for every CDR), with
// a copy of that list to notice a list changed in place.
let lastPrefixes: readonly string[] | undefined;
let lastCopy: readonly string[] = [];
let lastDigits: readonly string[] = [];

function digitPrefixes(prefixes: readonly string[]): readonly string[] {
  if (prefixes === lastPrefixes && prefixes.length === lastCopy.length && prefixes.every((p, i) => p === lastCopy[i])) {
    return lastDigits;
  }
  lastPrefixes = prefixes;
  lastCopy = [...prefixes];
  lastDigits = prefixes.map(digitsOf).filter((p) => p !== '');
  return lastDigits;
}

function matchesPrefix(number: string | null, prefixes: readonly string[]): boolean {
  if (number === null) {
    return false;
  }
  const digits = digitsOf(number);
  if (digits === '') {
    return false;
  }
  return digitPrefixes(prefixes).some((p) => digits.startsWith(p));
}

function isShortExtension(number: string | null, maxDigits: number): boolean {
  return number !== null && /^\d+$/.test(number) && number.length <= maxDigits;
}

export interface CdrDirectionInput {
  explicit: unknown;
  account: string | null;
  caller: string | null;
  callee: string | null;
}

/** Applies an explicit value, then {@link CdrDirectionRules} in their documented order. */
export function resolveCdrDirection(input: CdrDirectionInput, rules: CdrDirectionRules = {}): CdrDirection {
  const explicit = parseCdrDirection(input.explicit);
  if (explicit !== null && explicit !== 'unknown') {
    return explicit;
  }
  if (input.account !== null) {
    if (rules.inboundAccounts?.includes(input.account)) {
      return 'inbound';
    }
    if (rules.outboundAccounts?.includes(input.account)) {
      return 'outbound';
    }
  }
  const maxDigits = rules.internalMaxDigits;
  if (
    maxDigits !== undefined &&
    maxDigits > 0 &&
    isShortExtension(input.caller, maxDigits) &&
    isShortExtension(input.callee, maxDigits)
  ) {
    return 'internal';
  }
  const prefixes = rules.localNumberPrefixes ?? [];
  if (prefixes.length > 0) {
    const callerLocal = matchesPrefix(input.caller, prefixes);
    const calleeLocal = matchesPrefix(input.callee, prefixes);
    if (callerLocal && calleeLocal) {
      return 'internal';
    }
    if (calleeLocal) {
      return 'inbound';
    }
    if (callerLocal) {
      return 'outbound';
    }
  }
  return rules.default ?? 'outbound';
}
