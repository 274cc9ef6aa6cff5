import { ACCOUNTS, CUSTOMERS, type SimAccount } from './cdr-catalog';
import type { CdrGenerator, SimCall } from './cdr-generator';
import { CdrIndex, isCdrType, likeToRegExp, type CdrFilter, type CdrOrder, type CdrType, CDR_TYPES } from './cdr-query';
import { accountCdrWire, customerCdrWire, type CdrWireFormat } from './cdr-records';
import { formatSimTime, parseSimTime } from './sim-time';
import { wireDouble, wireInt, type WireStruct, type WireValue } from './xml-rpc-wire';

/**
 * Fault codes the simulator uses. Sippy documents only 403 "Account is not registered"
 * (sippy-xmlrpc.md §6); the others follow the XML-RPC fault-code interoperability spec.
 */
export const SIM_FAULT = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  notRegistered: 403,
  notFound: 404,
} as const;

/** An XML-RPC fault answered with HTTP 200. */
export class SippyFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`XML-RPC fault ${faultCode}: ${faultString}`);
    this.name = 'SippyFault';
  }
}

export interface SippyMethodsOptions {
  generator: CdrGenerator;
  format: CdrWireFormat;
  /** Answer system.listMethods (real support unknown, §1). */
  listMethods: boolean;
  /** end_date inclusive instead of exclusive. */
  filterInclusiveEnd: boolean;
  order: CdrOrder;
}

export interface CallContext {
  /** Customer of the authenticated web login. */
  iCustomer: number;
  /** The simulator's clock for this request. */
  now: number;
  /** Injected fault for one call inside system.multicall, if any. */
  innerFault?: (methodName: string) => { faultCode: number; faultString: string } | undefined;
}

type Handler = (params: Params, ctx: CallContext) => WireValue;

const DEFAULT_WINDOW_MS = 3_600_000;
const MAX_LIKE_PATTERN = 256;

/**
 * The XML-RPC methods of the simulated switch, free of HTTP. Each handler validates its struct
 * and throws SippyFault for bad input, like Sippy's "XMLRPC fault in case of any error".
 */
export class SippyMethods {
  private readonly index = new CdrIndex();
  private readonly handlers: ReadonlyMap<string, Handler>;

  constructor(private readonly options: SippyMethodsOptions) {
    for (const call of options.generator.written) this.index.insert(call);
    options.generator.onWrite((call) => { this.index.insert(call); });
    this.handlers = new Map<string, Handler>([
      ['getAccountCDRs', (p, ctx) => this.getAccountCDRs(p, ctx)],
      ['getCustomerCDRs', (p, ctx) => this.getCustomerCDRs(p, ctx)],
      ['listAccounts', (p, ctx) => this.listAccounts(p, ctx)],
      ['getAccountInfo', (p, ctx) => this.getAccountInfo(p, ctx)],
      ['getRegistrationStatus', (p, ctx) => this.getRegistrationStatus(p, ctx)],
      ['listAllCalls', (p, ctx) => this.listAllCalls(p, ctx)],
    ]);
  }

  /** Method names the switch answers (what system.listMethods returns). */
  methodNames(): string[] {
    const names = [...this.handlers.keys(), 'system.multicall'];
    if (this.options.listMethods) names.push('system.listMethods');
    return names.sort();
  }

  /** Runs one method; throws SippyFault. */
  call(methodName: string, params: unknown[], ctx: CallContext): WireValue {
    if (methodName === 'system.multicall') return this.multicall(params, ctx);
    if (methodName === 'system.listMethods') {
      if (!this.options.listMethods) throw methodNotFound(methodName);
      return this.methodNames();
    }
    const handler = this.handlers.get(methodName);
    if (!handler) throw methodNotFound(methodName);
    this.options.generator.advanceTo(ctx.now);
    return handler(Params.from(methodName, params), ctx);
  }

  /** The CDR structs getAccountCDRs can return for this customer now (all types, no window), i_cdr order. */
  visibleAccountCalls(iCustomer: number, now: number): SimCall[] {
    return this.options.generator.visibleAt(now).filter((c) => c.iCustomer === iCustomer);
  }

  /** The calls getCustomerCDRs can return for this customer now (rows of its sub-customers), i_cdr order. */
  visibleCustomerCalls(iCustomer: number, now: number): SimCall[] {
    const children = subCustomers(iCustomer);
    return this.options.generator.visibleAt(now).filter((c) => children.has(c.iCustomer));
  }

  private multicall(params: unknown[], ctx: CallContext): WireValue {
    if (params.length !== 1 || !Array.isArray(params[0])) {
      throw new SippyFault(SIM_FAULT.invalidParams, 'system.multicall expects one array of {methodName, params}');
    }
    return params[0].map((entry: unknown): WireValue => {
      try {
        if (!isPlainStruct(entry) || typeof entry['methodName'] !== 'string') {
          throw new SippyFault(SIM_FAULT.invalidRequest, 'multicall entry needs a methodName string');
        }
        const name = entry['methodName'];
        if (name === 'system.multicall') {
          throw new SippyFault(SIM_FAULT.invalidRequest, 'Recursive system.multicall is forbidden');
        }
        const inner = entry['params'] ?? [];
        if (!Array.isArray(inner)) {
          throw new SippyFault(SIM_FAULT.invalidRequest, 'multicall entry params must be an array');
        }
        const injected = ctx.innerFault?.(name);
        if (injected) throw new SippyFault(injected.faultCode, injected.faultString);
        return [this.call(name, inner, ctx)];
      } catch (error) {
        if (error instanceof SippyFault) return { faultCode: error.faultCode, faultString: error.faultString };
        throw error;
      }
    });
  }

  private getAccountCDRs(p: Params, ctx: CallContext): WireValue {
    const iAccount = p.optId('i_account');
    const iCdr = p.optId('i_cdr');
    p.optInt('i_customer', 0); // trusted-mode parameter: accepted, scope still comes from the login
    const filter = this.commonFilter(p, ctx, iAccount !== undefined || iCdr !== undefined);
    filter.iAccount = iAccount;
    filter.iCdr = iCdr;
    filter.customers = new Set([ctx.iCustomer]);
    p.rejectUnknown([...COMMON_CDR_PARAMS, 'i_account', 'i_cdr', 'i_customer']);
    const calls = this.index.query(filter, this.options.order);
    return { result: 'OK', cdrs: calls.map((c) => accountCdrWire(c, this.options.format)) };
  }

  private getCustomerCDRs(p: Params, ctx: CallContext): WireValue {
    const iCustomer = p.optId('i_customer');
    const iCdrsCustomer = p.optId('i_cdrs_customer');
    p.optInt('i_wholesaler', 0); // trusted-mode parameter: accepted, scope still comes from the login
    const filter = this.commonFilter(p, ctx, iCustomer !== undefined || iCdrsCustomer !== undefined);
    const children = subCustomers(ctx.iCustomer);
    filter.customers = iCustomer === undefined ? children : new Set(children.has(iCustomer) ? [iCustomer] : []);
    filter.iCdrsCustomer = iCdrsCustomer;
    p.rejectUnknown([...COMMON_CDR_PARAMS, 'i_customer', 'i_cdrs_customer', 'i_wholesaler']);
    const calls = this.index.query(filter, this.options.order);
    return { result: 'OK', cdrs: calls.map((c) => customerCdrWire(c, this.options.format)) };
  }

  /** offset, limit, start_date, end_date, cli, cld, type, and the last-hour default window. */
  private commonFilter(p: Params, ctx: CallContext, narrowedById: boolean): CdrFilter {
    const offset = p.optInt('offset', 0) ?? 0;
    const limit = p.optInt('limit', 0);
    const from = p.optDate('start_date');
    const to = p.optDate('end_date');
    const cli = p.optLike('cli');
    const cld = p.optLike('cld');
    const type = p.optType('type') ?? 'non_zero_and_errors';
    const filter: CdrFilter = {
      visibleAt: ctx.now,
      from,
      to,
      toInclusive: this.options.filterInclusiveEnd,
      type,
      cli,
      cld,
      offset,
      limit,
    };
    if (from === undefined && to === undefined && !narrowedById) {
      filter.from = ctx.now - DEFAULT_WINDOW_MS; // Sippy ≥ 2.2: last hour when no dates are given
    }
    return filter;
  }

  private listAccounts(p: Params, ctx: CallContext): WireValue {
    const offset = p.optInt('offset', 0) ?? 0;
    const limit = p.optInt('limit', 0);
    p.optInt('i_customer', 0);
    p.rejectUnknown(['offset', 'limit', 'i_customer']);
    const own = ownAccounts(ctx.iCustomer);
    const page = limit === undefined ? own.slice(offset) : own.slice(offset, offset + limit);
    return {
      result: 'OK',
      accounts: page.map((a) => ({
        i_account: wireInt(a.i_account),
        i_customer: wireInt(a.i_customer),
        username: a.username,
        description: a.description,
        blocked: a.blocked,
        expired: false,
        balance: wireDouble(a.balance),
        credit_limit: wireDouble(a.credit_limit),
        base_currency: a.base_currency,
        registration_status: a.registered ? registrationStruct(a, ctx.now) : null,
      })),
    };
  }

  private getAccountInfo(p: Params, ctx: CallContext): WireValue {
    const iAccount = p.optId('i_account');
    const username = p.optString('username');
    p.rejectUnknown(['i_account', 'username', 'i_customer']);
    if (iAccount === undefined && username === undefined) {
      throw new SippyFault(SIM_FAULT.invalidParams, 'getAccountInfo needs i_account or username');
    }
    const account = ownAccounts(ctx.iCustomer).find(
      (a) => (iAccount === undefined || a.i_account === iAccount) && (username === undefined || a.username === username),
    );
    if (!account) throw new SippyFault(SIM_FAULT.notFound, 'Account not found');
    return {
      result: 'OK',
      i_account: wireInt(account.i_account),
      i_customer: wireInt(account.i_customer),
      username: account.username,
      authname: account.username,
      description: account.description,
      // Sippy returns the balance with an inverted sign here (historical; listAccounts does not).
      balance: wireDouble(-account.balance),
      credit_limit: wireDouble(account.credit_limit),
      base_currency: account.base_currency,
      blocked: account.blocked,
      max_sessions: wireInt(account.dialer ? 30 : 10),
      i_time_zone: wireInt(account.i_time_zone),
      i_lang: account.i_lang,
      i_billing_plan: wireInt(account.base_currency === 'TRY' ? 12 : account.base_currency === 'EUR' ? 11 : 10),
      company_name: account.description,
      country: 'TR',
      email: null,
      cpe_number: null,
      created_on: formatSimTime(Date.UTC(2024, 2, 11, 9, 30, 0) + account.i_account * 86_400_000),
    };
  }

  private getRegistrationStatus(p: Params, ctx: CallContext): WireValue {
    const iAccount = p.requiredId('i_account');
    p.optInt('i_customer', 0);
    p.rejectUnknown(['i_account', 'i_customer']);
    const account = ownAccounts(ctx.iCustomer).find((a) => a.i_account === iAccount);
    if (!account) throw new SippyFault(SIM_FAULT.notFound, 'Account not found');
    if (!account.registered) throw new SippyFault(SIM_FAULT.notRegistered, 'Account is not registered');
    return registrationStruct(account, ctx.now);
  }

  /** Calls in progress (UPPERCASE keys, ISO-style SETUP_TIME, §5). */
  private listAllCalls(p: Params, ctx: CallContext): WireValue {
    const recursive = p.optBool('recursive') ?? true;
    const iAccount = p.optId('i_account');
    const order = p.optEnum('order', ['oldest_first', 'oldest_last', 'longest_first', 'longest_last'] as const) ?? 'oldest_first';
    p.optInt('i_customer', 0);
    p.optInt('i_vendor', 0);
    p.optInt('i_connection', 0);
    p.rejectUnknown(['recursive', 'i_account', 'order', 'i_customer', 'i_vendor', 'i_connection']);
    const scope = recursive ? new Set([ctx.iCustomer, ...subCustomers(ctx.iCustomer)]) : new Set([ctx.iCustomer]);
    const calls = this.options.generator
      .activeAt(ctx.now)
      .filter((c) => scope.has(c.iCustomer) && (iAccount === undefined || c.iAccount === iAccount));
    if (order === 'oldest_last' || order === 'longest_last') calls.reverse();
    return calls.map((c) => {
      const connected = c.duration > 0 && ctx.now >= c.connectMs;
      return {
        ID: String(c.iCall),
        CALL_ID: c.callId,
        CLI: c.cli,
        CLD: c.cld,
        DELAY: wireDouble(c.delay),
        DURATION: wireDouble(connected ? Math.round((ctx.now - c.connectMs) / 100) / 10 : 0),
        CC_STATE: connected ? 'Connected' : 'ARComplete',
        I_ACCOUNT: wireInt(c.iAccount),
        I_CUSTOMER: wireInt(c.iCustomer),
        I_CONNECTION: wireInt(500 + (c.iCall % 4)),
        I_ENVIRONMENT: wireInt(1),
        CALLER_MEDIA_IP: c.remoteIp,
        CALLEE_MEDIA_IP: `198.51.100.${10 + (c.iCall % 4)}`,
        SETUP_TIME: isoLike(c.setupMs),
        DIRECTION: c.inbound ? 'inbound' : 'outbound',
      };
    });
  }
}

const COMMON_CDR_PARAMS = ['offset', 'limit', 'start_date', 'end_date', 'cli', 'cld', 'type'];

function methodNotFound(name: string): SippyFault {
  return new SippyFault(SIM_FAULT.methodNotFound, `Method not found: ${name.slice(0, 100)}`);
}

function ownAccounts(iCustomer: number): SimAccount[] {
  return ACCOUNTS.filter((a) => a.i_customer === iCustomer).sort((a, b) => a.i_account - b.i_account);
}

function subCustomers(iCustomer: number): Set<number> {
  return new Set(CUSTOMERS.filter((c) => c.i_wholesaler === iCustomer).map((c) => c.i_customer));
}

function registrationStruct(account: SimAccount, now: number): WireStruct {
  // Registrations refresh every 30 minutes; expires is the end of the current period.
  const period = 1_800_000;
  const offset = (account.i_account * 97_000) % period;
  const expires = Math.floor((now - offset) / period) * period + offset + period;
  return {
    result: 'OK',
    user_agent: account.userAgent,
    contact: `sip:${account.username}@${account.remoteIp}:5060`,
    expires: formatSimTime(expires),
  };
}

function isoLike(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2021-08-22T10:11:52.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 23)}`;
}

function isPlainStruct(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value);
}

/** Typed access to the single struct parameter; `<nil/>` members count as absent. */
class Params {
  private constructor(
    private readonly method: string,
    private readonly struct: Record<string, unknown>,
  ) {}

  static from(method: string, params: unknown[]): Params {
    if (params.length === 0) return new Params(method, {});
    if (params.length > 1 || !isPlainStruct(params[0])) {
      throw new SippyFault(SIM_FAULT.invalidParams, `${method} expects a single struct parameter`);
    }
    return new Params(method, params[0]);
  }

  private get(name: string): unknown {
    const value = Object.prototype.hasOwnProperty.call(this.struct, name) ? this.struct[name] : undefined;
    return value === null ? undefined : value;
  }

  private bad(name: string, expected: string): SippyFault {
    return new SippyFault(SIM_FAULT.invalidParams, `${this.method}: invalid parameter ${name} (expected ${expected})`);
  }

  /** Parameters this method does not know are an error, so client typos surface in tests. */
  rejectUnknown(known: readonly string[]): void {
    for (const name of Object.keys(this.struct)) {
      // i_environment: multi-environment installs (the official multicall example sends it).
      if (!known.includes(name) && name !== 'i_environment') {
        throw new SippyFault(SIM_FAULT.invalidParams, `${this.method}: unknown parameter ${name.slice(0, 60)}`);
      }
    }
  }

  optInt(name: string, min: number): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      throw this.bad(name, `an integer >= ${min}`);
    }
    return value;
  }

  /** An id: `<int>`, `<i8>` (decoded as digits) or a decimal `<string>`. */
  optId(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    const n = typeof value === 'string' && /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw this.bad(name, 'an id');
    return n;
  }

  requiredId(name: string): number {
    const value = this.optId(name);
    if (value === undefined) throw new SippyFault(SIM_FAULT.invalidParams, `${this.method}: missing parameter ${name}`);
    return value;
  }

  optString(name: string): string | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw this.bad(name, 'a string');
    return value;
  }

  optBool(name: string): boolean | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw this.bad(name, 'a boolean');
    return value;
  }

  optEnum<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.optString(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) throw this.bad(name, `one of ${values.join(', ')}`);
    return value as T;
  }

  optType(name: string): CdrType | undefined {
    const value = this.optString(name);
    if (value === undefined) return undefined;
    if (!isCdrType(value)) throw this.bad(name, `one of ${CDR_TYPES.join(', ')}`);
    return value;
  }

  /** Format (b) only, e.g. `09:57:29.000 GMT Tue Apr 07 2026`; anything else is a fault. */
  optDate(name: string): number | undefined {
    const value = this.optString(name);
    if (value === undefined) return undefined;
    const epoch = parseSimTime(value);
    if (epoch === null) throw this.bad(name, "a time in the format '%H:%M:%S.000 GMT %a %b %d %Y'");
    return epoch;
  }

  optLike(name: string): RegExp | undefined {
    const value = this.optString(name);
    if (value === undefined || value === '') return undefined;
    if (value.length > MAX_LIKE_PATTERN) throw this.bad(name, `at most ${MAX_LIKE_PATTERN} characters`);
    return likeToRegExp(value);
  }
}
