import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SippySimulator } from '../../simulator';
import { SippyClientFactory } from './sippy-client.factory';

const PASSWORD = 'factory-Test-pass-42';

/** What `fn` throws (undefined when it returns), for matching the error's fields. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('SippyClientFactory against the simulator over HTTPS (self-signed)', () => {
  const factory = new SippyClientFactory();
  let sim: SippySimulator;
  let dir: string;
  let caFile: string;

  beforeAll(async () => {
    sim = new SippySimulator({ tls: true, password: PASSWORD, historyHours: 1 });
    await sim.start();
    dir = mkdtempSync(join(tmpdir(), 'velora-ca-'));
    caFile = join(dir, 'switch.pem');
    writeFileSync(caFile, sim.certificatePem!);
  });

  afterAll(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the self-signed certificate by default (TLS verification is on)', async () => {
    const client = factory.create({ url: sim.url, username: 'ssp-root', password: PASSWORD });
    await expect(client.probe()).rejects.toMatchObject({ name: 'SippyError', kind: 'tls' });
    await client.close();
  });

  it('trusts the certificate given in caFile (SIPPY_CA_FILE)', async () => {
    const client = factory.create({ url: sim.url, username: 'ssp-root', password: PASSWORD, caFile });
    await expect(client.probe()).resolves.toMatchObject({ method: 'getAccountCDRs' });
    await expect(client.listMethods()).resolves.toContain('getAccountCDRs');
    await client.close();
  });

  it('skips verification for this client only when asked (SIPPY_DISABLE_TLS_VERIFY)', async () => {
    const insecure = factory.create({ url: sim.url, username: 'ssp-root', password: PASSWORD, tls: { verify: false } });
    await expect(insecure.probe()).resolves.toBeDefined();
    const strict = factory.create({ url: sim.url, username: 'ssp-root', password: PASSWORD });
    await expect(strict.probe()).rejects.toMatchObject({ kind: 'tls' }); // not process-wide
    await Promise.all([insecure.close(), strict.close()]);
  });

  it('reports configuration mistakes as config errors without secrets', () => {
    expect(thrownBy(() => factory.create({ url: 'not a url', username: 'u', password: PASSWORD }))).toMatchObject({ kind: 'config' });
    expect(thrownBy(() => factory.create({ url: 'ftp://h/xmlapi/xmlapi' }))).toMatchObject({ kind: 'config' });
    const withCredentials = thrownBy(() => factory.create({ url: `https://u:${PASSWORD}@h/xmlapi/xmlapi` }));
    expect(withCredentials).toMatchObject({ kind: 'config' });
    expect((withCredentials as Error).message).not.toContain(PASSWORD);
    expect(thrownBy(() => factory.create({ url: sim.url, caFile: join(dir, 'missing.pem') }))).toMatchObject({ kind: 'config' });
  });
});
