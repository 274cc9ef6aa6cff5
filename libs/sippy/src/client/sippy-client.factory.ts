import { readFileSync } from 'node:fs';
import { SippyError } from '../errors/sippy.error';
import { DigestXmlRpcTransport } from '../transport/digest-xml-rpc-transport';
import { ObservedXmlRpcTransport } from '../transport/observed-xml-rpc-transport';
import { SippyClient } from './sippy.client';
import type { SippyClientOptions } from './sippy-client.options';

/**
 * Turns options (URL, credentials, TLS, timeouts, behaviour) into a transport + client.
 * Used for the configured client and for one-off clients (test-connection), which never
 * touch the configured one.
 */
export class SippyClientFactory {
  create(options: SippyClientOptions): SippyClient {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new SippyError('config', 'Sippy API URL is not a valid URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new SippyError('config', `Sippy API URL must be http or https, got "${url.protocol}"`);
    }
    if (url.username || url.password) {
      throw new SippyError('config', 'Sippy API URL must not contain credentials; use the username/password settings');
    }
    const ca = options.tls?.ca ?? (options.caFile ? this.readCa(options.caFile) : undefined);
    const transport = new DigestXmlRpcTransport({
      url: url.toString(),
      username: options.username,
      password: options.password,
      tls: { verify: options.tls?.verify ?? true, ca },
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
      userAgent: options.userAgent ?? 'Velora/0.1 (+https://github.com/velora-crm)',
    });
    return new SippyClient(options.observer ? new ObservedXmlRpcTransport(transport, options.observer) : transport, options);
  }

  private readCa(path: string): Buffer {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new SippyError('config', `cannot read the CA file ${path}`, { cause: error });
    }
  }
}
