import { SippyError } from '../errors/sippy.error';
import { isXmlRpcStruct, type XmlRpcStruct, type XmlRpcValue } from '../codec/xml-rpc.types';
import { formatSippyTime } from '../time/sippy-time';
import type { RawCdr } from '../cdr/cdr.model';
import type { XmlRpcCallOptions, XmlRpcTransport } from '../transport/xml-rpc-transport';
import type { SippyCdrSource, SippyCdrType, SippyClientBehaviour, SippyProbeMethod } from './sippy-client.options';

export interface SippyCdrQuery {
  /** Inclusive lower bound (Sippy compares it with the CDR time, seconds precision). */
  startDate: Date;
  /** Upper bound. */
  endDate: Date;
  offset?: number;
  limit?: number;
  type?: SippyCdrType;
  /** getAccountCDRs: one account. */
  iAccount?: number;
  /** getCustomerCDRs: one sub-customer. */
  iCustomer?: number;
  /** CLI / CLD "like" filters as Sippy understands them. */
  cli?: string;
  cld?: string;
}

export interface SippyProbeResult {
  method: SippyProbeMethod;
  latencyMs: number;
}

/**
 * SippySoft XML-RPC API client. Plain TypeScript: no Nest, no process.env. All I/O goes through the
 * injected transport; every failure is a SippyError.
 */
export class SippyClient {
  private readonly cdrSource: SippyCdrSource;
  private readonly cdrType: SippyCdrType;
  private readonly probeMethod: SippyProbeMethod;

  constructor(
    private readonly transport: XmlRpcTransport,
    private readonly behaviour: SippyClientBehaviour = {},
  ) {
    this.cdrSource = behaviour.cdrSource ?? 'account';
    this.cdrType = behaviour.cdrType ?? 'all';
    this.probeMethod = behaviour.probeMethod ?? 'getAccountCDRs';
  }

  /** The endpoint without credentials, for logs and health details. */
  get endpoint(): string {
    return this.transport.endpoint;
  }

  get source(): SippyCdrSource {
    return this.cdrSource;
  }

  /** CDRs of the configured source (getAccountCDRs or getCustomerCDRs). */
  getCdrs(query: SippyCdrQuery, options?: XmlRpcCallOptions): Promise<RawCdr[]> {
    return this.cdrSource === 'customer' ? this.getCustomerCDRs(query, options) : this.getAccountCDRs(query, options);
  }

  /** getAccountCDRs: CDRs of the authenticated customer's accounts (§4.1). */
  async getAccountCDRs(query: SippyCdrQuery, options?: XmlRpcCallOptions): Promise<RawCdr[]> {
    const params: XmlRpcStruct = {
      ...this.cdrWindow(query),
      i_account: query.iAccount ?? this.behaviour.iAccount,
      i_customer: this.behaviour.trustedCustomerId,
    };
    return this.cdrList('getAccountCDRs', await this.transport.call('getAccountCDRs', [params], options));
  }

  /** getCustomerCDRs: CDRs of the authenticated customer's sub-customers (§4.3). */
  async getCustomerCDRs(query: SippyCdrQuery, options?: XmlRpcCallOptions): Promise<RawCdr[]> {
    const params: XmlRpcStruct = {
      ...this.cdrWindow(query),
      i_customer: query.iCustomer ?? this.behaviour.iCustomer,
      i_wholesaler: this.behaviour.trustedCustomerId,
    };
    return this.cdrList('getCustomerCDRs', await this.transport.call('getCustomerCDRs', [params], options));
  }

  /** listAccounts with offset/limit; the cheapest call that exercises Digest and API permission. */
  async listAccounts(offset = 0, limit = 100, options?: XmlRpcCallOptions): Promise<XmlRpcStruct[]> {
    const value = await this.transport.call(
      'listAccounts',
      [{ offset, limit, i_customer: this.behaviour.trustedCustomerId }],
      options,
    );
    return this.structList('listAccounts', value, 'accounts');
  }

  /** getAccountInfo for one account (the balance sign is inverted by Sippy, see §5). */
  async getAccountInfo(iAccount: number, options?: XmlRpcCallOptions): Promise<XmlRpcStruct> {
    const value = await this.transport.call('getAccountInfo', [{ i_account: iAccount }], options);
    return this.okStruct('getAccountInfo', value);
  }

  /**
   * system.listMethods when the switch offers introspection; null when it answers with a fault
   * (support is unknown, §1). Transport failures still throw.
   */
  async listMethods(options?: XmlRpcCallOptions): Promise<string[] | null> {
    try {
      const value = await this.transport.call('system.listMethods', [], options);
      if (!Array.isArray(value)) {
        return null;
      }
      return value.filter((m): m is string => typeof m === 'string').sort();
    } catch (error) {
      if (error instanceof SippyError && error.kind === 'fault') {
        return null;
      }
      throw error;
    }
  }

  /** The configured health probe call (SippyClientBehaviour.probeMethod). */
  get configuredProbeMethod(): SippyProbeMethod {
    return this.probeMethod;
  }

  /**
   * Health probe: one cheap authenticated call (the configured one, or `method`); resolves with its latency or
   * throws SippyError. `getAccountCDRs` means the CDR method of the configured source (getCustomerCDRs for
   * customer CDRs), over the last minute with limit 1.
   */
  async probe(options?: XmlRpcCallOptions, method: SippyProbeMethod = this.probeMethod): Promise<SippyProbeResult> {
    const started = performance.now();
    if (method === 'getAccountCDRs') {
      const now = new Date();
      await this.getCdrs({ startDate: new Date(now.getTime() - 60_000), endDate: now, limit: 1 }, options);
    } else {
      await this.listAccounts(0, 1, options);
    }
    return { method, latencyMs: Math.round(performance.now() - started) };
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private cdrWindow(query: SippyCdrQuery): XmlRpcStruct {
    if (!(query.endDate.getTime() > query.startDate.getTime())) {
      throw new SippyError('config', 'CDR query: endDate must be after startDate');
    }
    return {
      start_date: formatSippyTime(query.startDate),
      end_date: formatSippyTime(query.endDate),
      type: query.type ?? this.cdrType,
      offset: query.offset ?? 0,
      limit: query.limit,
      cli: query.cli,
      cld: query.cld,
    };
  }

  private cdrList(method: string, value: XmlRpcValue): RawCdr[] {
    return this.structList(method, value, 'cdrs');
  }

  /** Sippy answers `{ result: 'OK', <key>: [struct…] }`; some versions return the bare array. */
  private structList(method: string, value: XmlRpcValue, key: string): XmlRpcStruct[] {
    const list = Array.isArray(value) ? value : this.okStruct(method, value)[key];
    if (list === undefined || list === null) {
      return [];
    }
    if (!Array.isArray(list)) {
      throw new SippyError('malformed', `${method}: "${key}" is not an array`);
    }
    return list.map((item, index) => {
      if (!isXmlRpcStruct(item)) {
        throw new SippyError('malformed', `${method}: ${key}[${index}] is not a struct`);
      }
      return item;
    });
  }

  private okStruct(method: string, value: XmlRpcValue): XmlRpcStruct {
    if (!isXmlRpcStruct(value)) {
      throw new SippyError('malformed', `${method}: expected a struct in the response`);
    }
    const result = value['result'];
    if (result === undefined || result === null) {
      return value;
    }
    // The switch sends a string; anything else (a struct, a date…) is not OK either, and is shown as JSON.
    const text = typeof result === 'object' ? JSON.stringify(result) : String(result);
    if (text.toUpperCase() !== 'OK') {
      throw new SippyError('fault', `${method}: switch answered result "${text.slice(0, 100)}"`, {
        faultString: text.slice(0, 500),
      });
    }
    return value;
  }
}
