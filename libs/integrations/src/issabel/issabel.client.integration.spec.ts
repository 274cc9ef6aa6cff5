import { createServer, type Server } from 'node:net';
import { getSelfSignedCertificate } from '@velora/sippy/simulator';
import { FakeAmiServer } from '../../simulator/ami-server';
import { AmiConnection } from './ami.connection';
import { IssabelClient } from './issabel.client';

const SECRET = 'Ami-S3cret-for-tests';

function clientFor(server: FakeAmiServer, overrides: Partial<ConstructorParameters<typeof IssabelClient>[0]> = {}): IssabelClient {
  return new IssabelClient({ host: '127.0.0.1', port: server.port, username: 'crm', secret: SECRET, timeoutMs: 1000, ...overrides });
}

describe('IssabelClient against the fake AMI server (real TCP)', () => {
  let server: FakeAmiServer;

  beforeEach(async () => {
    server = new FakeAmiServer({ username: 'crm', secret: SECRET, authFailDelayMs: 5, asteriskVersion: '16.30.1', amiVersion: '5.0.2' });
    await server.start();
  });

  afterEach(async () => {
    await server.stop();
  });

  it('probe: logs in, pings, reads version and current calls, logs off, and never sends the secret elsewhere', async () => {
    const result = await clientFor(server).probe();
    expect(result).toMatchObject({ amiVersion: '5.0.2', asteriskVersion: '16.30.1', currentCalls: 2, processedCalls: 1287, denied: [] });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.startupTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(server.requestLog.map((e) => e.action)).toEqual(['Login', 'Ping', 'CoreSettings', 'CoreStatus', 'Logoff']);
    expect(JSON.stringify(server.requestLog)).not.toContain(SECRET);
    await waitFor(() => server.openConnections === 0);
  });

  it('probe stays up without system/reporting privileges, listing what was denied', async () => {
    await server.stop();
    server = new FakeAmiServer({ username: 'crm', secret: SECRET, deniedActions: ['CoreStatus', 'CoreSettings'] });
    await server.start();
    const result = await clientFor(server).probe();
    expect(result).toMatchObject({ asteriskVersion: null, currentCalls: null, denied: ['CoreSettings', 'CoreStatus'] });
  });

  it('wrong secret → auth, naming the user but not the secret', async () => {
    const error = await clientFor(server, { secret: 'wrong-secret' }).probe().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AmiError', kind: 'auth' });
    expect((error as Error).message).toContain('"crm"');
    expect((error as Error).message).not.toContain('wrong-secret');
  });

  it('refused logins (valid credentials) → auth', async () => {
    server.refuseLogins(1);
    await expect(clientFor(server).probe()).rejects.toMatchObject({ kind: 'auth' });
    await expect(clientFor(server).probe()).resolves.toMatchObject({ currentCalls: 2 });
  });

  it('nothing listening → refused', async () => {
    const port = server.port;
    await server.down();
    const error = await clientFor(server, { port }).probe().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'refused' });
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    await server.up();
    await expect(clientFor(server).probe()).resolves.toMatchObject({ amiVersion: '5.0.2' });
  });

  it.each(['greeting', 'login'] as const)('hang at %s → timeout within the budget', async (at) => {
    server.hang(at);
    // the server never answers: only the client's deadline can end this (no wall-clock bound: flaky under load)
    await expect(clientFor(server, { timeoutMs: 150 }).probe()).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('hang on CoreStatus → timeout (one deadline for the whole check)', async () => {
    server.hang({ action: 'CoreStatus' });
    await expect(clientFor(server, { timeoutMs: 150 }).probe()).rejects.toMatchObject({ kind: 'timeout' });
  });

  it.each(['greeting', { action: 'Ping' }] as const)('dropped connection (%p) → unreachable', async (at) => {
    server.drop(at);
    await expect(clientFor(server).probe()).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('dropped during Login → auth (Asterisk closes the socket on a failed login)', async () => {
    server.drop('login');
    await expect(clientFor(server).probe()).rejects.toMatchObject({ kind: 'auth' });
  });

  it('a non-AMI service on the port → protocol', async () => {
    const http: Server = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as { port: number }).port;
    await expect(new IssabelClient({ host: '127.0.0.1', port, username: 'u', secret: 's', timeoutMs: 500 }).probe()).rejects.toMatchObject({ kind: 'protocol' });
    await new Promise((resolve) => http.close(resolve));
  });

  it('status: channels, distinct calls, SIP peers summary', async () => {
    const status = await clientFor(server).status();
    expect(status.activeChannels).toBe(3);
    expect(status.activeCalls).toBe(2);
    expect(status.channels[0]).toEqual({
      channel: 'SIP/101-00000012',
      state: 'Up',
      caller_id_num: '101',
      caller_id_name: 'Ayşe Yılmaz',
      connected_line_num: '902123334455',
      context: 'from-internal',
      exten: '902123334455',
      application: 'Dial',
      duration_seconds: 74,
      bridge_id: 'b1',
      linked_id: '1764000000.18',
    });
    expect(status.peerSummaries).toEqual([{ technology: 'sip', total: 6, online: 4, offline: 2 }]);
    expect(status.peers.find((p) => p.name === '101')).toEqual({ name: '101', technology: 'sip', state: 'OK (12 ms)', online: true, address: '10.0.0.101:5060' });
    expect(status.peers.find((p) => p.name === '105')).toMatchObject({ online: false, address: null });
    expect(status).toMatchObject({ channelsAvailability: 'ok', peersAvailability: 'ok', truncated: false });
  });

  it('status on PJSIP-only Asterisk falls back to PJSIPShowEndpoints; both drivers are combined', async () => {
    await server.stop();
    server = new FakeAmiServer({ username: 'crm', secret: SECRET, channelDriver: 'pjsip' });
    await server.start();
    const pjsip = await clientFor(server).status();
    expect(pjsip.peerSummaries).toEqual([{ technology: 'pjsip', total: 3, online: 2, offline: 1 }]);
    await server.stop();
    server = new FakeAmiServer({ username: 'crm', secret: SECRET, channelDriver: 'both' });
    await server.start();
    const both = await clientFor(server).status();
    expect(both.peerSummaries.map((s) => s.technology)).toEqual(['sip', 'pjsip']);
    expect(both.peers).toHaveLength(9);
  });

  it('status degrades per section when the user may not read channels or peers', async () => {
    await server.stop();
    server = new FakeAmiServer({ username: 'crm', secret: SECRET, deniedActions: ['CoreShowChannels', 'SIPpeers', 'PJSIPShowEndpoints'] });
    await server.start();
    const status = await clientFor(server).status();
    expect(status).toMatchObject({ activeChannels: null, activeCalls: null, channels: [], channelsAvailability: 'permission_denied', peersAvailability: 'permission_denied', peers: [] });
  });

  it('status caps the lists at maxListItems but keeps exact counts', async () => {
    server.channels = Array.from({ length: 30 }, (_, i) => ({ channel: `SIP/1${i}-0000`, linkedId: `L${i}` }));
    const status = await clientFor(server, { maxListItems: 5 }).status();
    expect(status.activeChannels).toBe(30);
    expect(status.channels).toHaveLength(5);
    expect(status.truncated).toBe(true);
  });

  it('matches responses by ActionID when actions overlap on one connection', async () => {
    const connection = await AmiConnection.open({ host: '127.0.0.1', port: server.port, timeoutMs: 500 });
    await connection.login('crm', SECRET, 500);
    const [a, b, c] = await Promise.all([
      connection.action('Ping', {}, 500),
      connection.listAction('CoreShowChannels', {}, 500),
      connection.action('CoreSettings', {}, 500),
    ]);
    expect(a['ping']).toBe('Pong');
    expect(b.events).toHaveLength(3);
    expect(b.complete['listitems']).toBe('3');
    expect(c['asteriskversion']).toBe('16.30.1');
    await connection.logoff(200);
    expect(connection.closed).toBe(true);
  });

  it('actions before Login get Permission denied', async () => {
    const connection = await AmiConnection.open({ host: '127.0.0.1', port: server.port, timeoutMs: 500 });
    await expect(connection.action('CoreStatus', {}, 500)).resolves.toMatchObject({ response: 'Error', message: 'Permission denied' });
    await expect(connection.listAction('CoreShowChannels', {}, 500)).rejects.toMatchObject({ kind: 'permission' });
    connection.close();
  });

  describe('over TLS', () => {
    let tlsServer: FakeAmiServer;
    let ca: string;

    beforeAll(async () => {
      const certificate = await getSelfSignedCertificate();
      ca = certificate.cert;
      tlsServer = new FakeAmiServer({ username: 'crm', secret: SECRET, tls: { key: certificate.key, cert: certificate.cert } });
      await tlsServer.start();
    });

    afterAll(async () => {
      await tlsServer.stop();
    });

    it('rejects the self-signed certificate by default (tls), accepts it with verify off or the CA', async () => {
      const base = { host: '127.0.0.1', port: tlsServer.port, username: 'crm', secret: SECRET, timeoutMs: 2000 };
      await expect(new IssabelClient({ ...base, tls: { enabled: true } }).probe()).rejects.toMatchObject({ kind: 'tls' });
      await expect(new IssabelClient({ ...base, tls: { enabled: true, verify: false } }).probe()).resolves.toMatchObject({ currentCalls: 2 });
      await expect(new IssabelClient({ ...base, tls: { enabled: true, ca } }).probe()).resolves.toMatchObject({ currentCalls: 2 });
      expect(new IssabelClient({ ...base, tls: { enabled: true } }).endpoint).toBe(`tls://127.0.0.1:${tlsServer.port}`);
    });
  });
});

async function waitFor(condition: () => boolean, ms = 1000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
