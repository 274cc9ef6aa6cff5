import type { SimCall } from './cdr-generator';

/** The six `type` values of getAccountCDRs/getCustomerCDRs (sippy-xmlrpc.md §4.1). */
export const CDR_TYPES = ['non_zero_and_errors', 'non_zero', 'all', 'complete', 'incomplete', 'errors'] as const;
export type CdrType = (typeof CDR_TYPES)[number];

export function isCdrType(value: unknown): value is CdrType {
  return typeof value === 'string' && (CDR_TYPES as readonly string[]).includes(value);
}

/**
 * The `type` filter. Sippy does not document the SQL; this is the mapping of a re-implementation
 * over a Sippy DB replica (§4.1, flagged there as an assumption).
 */
export function matchesCdrType(type: CdrType, duration: number, result: number): boolean {
  switch (type) {
    case 'all':
      return true;
    case 'non_zero':
      return duration > 0;
    case 'non_zero_and_errors':
      return duration > 0 || result !== 0;
    case 'complete':
      return result === 0;
    case 'incomplete':
      return result !== 0;
    case 'errors':
      return result !== 0 && duration === 0;
  }
}

/** SQL LIKE (`%` any run, `_` one character, `\` escapes), anchored, case-sensitive. */
export function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[++i]);
    } else if (ch === '%') {
      source += '.*';
    } else if (ch === '_') {
      source += '.';
    } else {
      source += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export type CdrOrder = 'connect_time_desc' | 'i_cdr_asc';

export interface CdrFilter {
  /** Only CDRs written at or before this instant (the simulator's "now"). */
  visibleAt: number;
  /** connect_time >= from (epoch ms), when set. */
  from?: number;
  /** connect_time < to (or <= to when toInclusive), when set. */
  to?: number;
  toInclusive?: boolean;
  type: CdrType;
  iAccount?: number;
  /** Owner customers of the accounts (scope of the authenticated customer). */
  customers?: ReadonlySet<number>;
  iCdr?: number;
  iCdrsCustomer?: number;
  cli?: RegExp;
  cld?: RegExp;
  offset: number;
  limit?: number;
}

/**
 * CDRs kept sorted by (connect_time, i_cdr) ascending, so the usual insert (a call that just ended)
 * lands near the end; queries walk it backwards for the (connect_time DESC, i_cdr DESC) order that
 * the DB-replica re-implementation used. Windows are found by binary search.
 */
export class CdrIndex {
  private readonly calls: SimCall[] = [];

  get size(): number {
    return this.calls.length;
  }

  insert(call: SimCall): void {
    const calls = this.calls;
    // Fast path: newest connect_time so far.
    const last = calls.at(-1);
    if (last === undefined || !sortsAfter(last, call)) {
      calls.push(call);
      return;
    }
    let lo = 0;
    let hi = calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sortsAfter(calls[mid], call)) hi = mid;
      else lo = mid + 1;
    }
    calls.splice(lo, 0, call);
  }

  query(filter: CdrFilter, order: CdrOrder = 'connect_time_desc'): SimCall[] {
    const { from: windowFrom, to: windowTo, toInclusive } = filter;
    // [lo, hi) = calls inside the connect_time window.
    const lo = windowFrom === undefined ? 0 : this.firstIndexWhere((c) => c.connectMs >= windowFrom);
    const hi =
      windowTo === undefined
        ? this.calls.length
        : this.firstIndexWhere((c) => (toInclusive ? c.connectMs > windowTo : c.connectMs >= windowTo));
    const matched: SimCall[] = [];
    for (let i = hi - 1; i >= lo; i--) {
      const c = this.calls[i];
      if (c.writtenAtMs > filter.visibleAt) continue;
      if (filter.iAccount !== undefined && c.iAccount !== filter.iAccount) continue;
      if (filter.customers !== undefined && !filter.customers.has(c.iCustomer)) continue;
      if (filter.iCdr !== undefined && c.iCdr !== filter.iCdr) continue;
      if (filter.iCdrsCustomer !== undefined && c.iCdrsCustomer !== filter.iCdrsCustomer) continue;
      if (!matchesCdrType(filter.type, c.duration, c.result)) continue;
      if (filter.cli && !filter.cli.test(c.cli)) continue;
      if (filter.cld && !filter.cld.test(c.cld)) continue;
      matched.push(c);
    }
    if (order === 'i_cdr_asc') matched.sort((a, b) => a.iCdr - b.iCdr);
    const first = Math.min(filter.offset, matched.length);
    return filter.limit === undefined ? matched.slice(first) : matched.slice(first, first + filter.limit);
  }

  /** Lowest index i where pred holds, given pred is monotone (false…false true…true). */
  private firstIndexWhere(pred: (c: SimCall) => boolean): number {
    let lo = 0;
    let hi = this.calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(this.calls[mid])) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** true when a sorts strictly after b in (connect_time, i_cdr) ascending order. */
function sortsAfter(a: SimCall, b: SimCall): boolean {
  return a.connectMs > b.connectMs || (a.connectMs === b.connectMs && a.iCdr > b.iCdr);
}
