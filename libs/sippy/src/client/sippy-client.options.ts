import type { XmlRpcCallObserver } from '../transport/observed-xml-rpc-transport';
import type { DigestXmlRpcTransportOptions } from '../transport/xml-rpc-transport';

/** Sippy's CDR listing methods: own accounts (getAccountCDRs) or sub-customers (getCustomerCDRs). */
export type SippyCdrSource = 'account' | 'customer';

/** Values of Sippy's `type` parameter (sippy-xmlrpc.md §4.1). */
export const SIPPY_CDR_TYPES = ['all', 'non_zero_and_errors', 'non_zero', 'complete', 'incomplete', 'errors'] as const;
export type SippyCdrType = (typeof SIPPY_CDR_TYPES)[number];

/** The method the health probe calls: cheap, and exercises Digest + API permission. */
export type SippyProbeMethod = 'listAccounts' | 'getAccountCDRs';

/** What SippyClient needs beyond the transport: which CDR source and scope to use. */
export interface SippyClientBehaviour {
  cdrSource?: SippyCdrSource;
  /** Limit getAccountCDRs to one account. */
  iAccount?: number;
  /** Limit getCustomerCDRs to one sub-customer. */
  iCustomer?: number;
  /**
   * Trusted mode only (no credentials, the caller's IP is in Sippy's trusted_hosts): on whose behalf we act —
   * sent as `i_customer` to getAccountCDRs/listAccounts and as `i_wholesaler` to getCustomerCDRs.
   */
  trustedCustomerId?: number;
  /** Default `type` for CDR queries; `all` so that failed attempts count. */
  cdrType?: SippyCdrType;
  probeMethod?: SippyProbeMethod;
}

/** Everything needed to build a working client: transport (connection) + behaviour. */
export interface SippyClientOptions extends DigestXmlRpcTransportOptions, SippyClientBehaviour {
  /** Path of a PEM file to trust (read by the factory), the safe alternative to disabling verification. */
  caFile?: string;
  /** Told the latency and outcome of every call (metrics); never sees parameters or results. */
  observer?: XmlRpcCallObserver;
}
