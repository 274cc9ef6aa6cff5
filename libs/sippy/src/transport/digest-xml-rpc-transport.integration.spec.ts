import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';

import { DigestVerifier, type DigestVerifierOptions } from '../../simulator/digest-verifier';
import { getSelfSignedCertificate } from '../../simulator/tls';
import { SippyError } from '../errors/sippy.error';
import { parseAuthHeader } from './digest-auth';
import { DigestXmlRpcTransport } from './digest-xml-rpc-transport';
import type { DigestXmlRpcTransportOptions } from './xml-rpc-transport';

const USER = 'ssp-api';
const PASSWORD = 'Pa55-very-secret-Zq9';
const PATH = '/xmlapi/xmlapi';

const OK_BODY =
  '<?xml version="1.0"?><methodResponse><params><param><value><struct>' +
  '<member><name>result</name><value><string>OK</string></value></member>' +
  '</struct></value></param></params></methodResponse>';
const FAULT_BODY =
  '<?xml version="1.0"?><methodResponse><fault><value><struct>' +
  '<member><name>faultCode</name><value><int>403</int></value></member>' +
  '<member><name>faultString</name><value><string>Access denied to method</string></value></member>' +
  '</struct></value></fault></methodResponse>';

type Responder = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface SeenRequest {
  method: string;
  url: string;
  authorization?: string;
  verdict?: string;
  body: string;
}

interface TestServer {
  url: string;
  requests: SeenRequest[];
  verifier?: DigestVerifier;
  reasons(): string[];
  close(): Promise<void>;
}

const sendXml =
  (xml: string): Responder =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
    res.end(xml);
  };

interface ServerOptions {
  /** Handles a request before Digest verification when it returns true. */
  intercept?: (seen: SeenRequest, res: ServerResponse) => boolean;
  digest?: Partial<DigestVerifierOptions> | false;
  respond?: Responder;
  tls?: { key: string; cert: string };
}

const servers: TestServer[] = [];
const transports: DigestXmlRpcTransport[] = [];

async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const verifier =
    options.digest === false
      ? undefined
      : new DigestVerifier({ realm: 'sippy-test', users: { [USER]: PASSWORD }, ...options.digest });
  const respond = options.respond ?? sendXml(OK_BODY);
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      };
      requests.push(seen);
      if (options.intercept?.(seen, res)) return;
      if (verifier) {
        const verdict = verifier.verify(seen.method, seen.url, seen.authorization);
        seen.verdict = verdict.ok ? 'ok' : verdict.reason;
        if (!verdict.ok) {
          res.writeHead(verdict.status, { ...verdict.headers, 'content-type': 'text/plain' });
          res.end('Unauthorized');
          return;
        }
      }
      respond(req, res, body);
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const testServer: TestServer = {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}${PATH}`,
    requests,
    verifier,
    reasons: () => requests.map((r) => r.verdict ?? 'none'),
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  servers.push(testServer);
  return testServer;
}

function transport(url: string, options: Partial<DigestXmlRpcTransportOptions> = {}): DigestXmlRpcTransport {
  const t = new DigestXmlRpcTransport({ url, username: USER, password: PASSWORD, timeoutMs: 5000, ...options });
  transports.push(t);
  return t;
}

async function failure(promise: Promise<unknown>): Promise<SippyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SippyError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function algorithmsUsed(server: TestServer): (string | undefined)[] {
  return server.requests
    .filter((r) => r.authorization !== undefined)
    .map((r) => parseAuthHeader(r.authorization as string)[0].params.algorithm);
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('DigestXmlRpcTransport over HTTP', () => {
  it('answers the Digest challenge once, then authenticates pre-emptively with nc + 1', async () => {
    const server = await startServer();
    const t = transport(server.url);
    expect(t.endpoint).toBe(server.url);
    await expect(t.call('getSystemInfo', [])).resolves.toEqual({ result: 'OK' });
    await expect(t.call('getSystemInfo', [])).resolves.toEqual({ result: 'OK' });
    expect(server.reasons()).toEqual(['missing', 'ok', 'ok']);
    const [bare, first, second] = server.requests;
    expect(bare.authorization).toBeUndefined();
    expect(bare.method).toBe('POST');
    expect(bare.body).toContain('<methodName>getSystemInfo</methodName>');
    expect(parseAuthHeader(first.authorization as string)[0].params).toMatchObject({
      username: USER,
      uri: PATH,
      nc: '00000001',
      qop: 'auth',
      algorithm: 'MD5',
    });
    expect(parseAuthHeader(second.authorization as string)[0].params.nc).toBe('00000002');
  });

  it('serializes 10 concurrent calls: all succeed, one 401 round trip, zero replays', async () => {
    const server = await startServer();
    const t = transport(server.url);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.call('ping', [i])));
    expect(results).toEqual(Array.from({ length: 10 }, () => ({ result: 'OK' })));
    expect(server.reasons().filter((r) => r === 'missing')).toHaveLength(1);
    expect(server.reasons().filter((r) => r === 'replay')).toHaveLength(0);
    expect(server.requests).toHaveLength(11);
    // The calls reached the server in submission order.
    expect(server.requests.slice(1).map((r) => /<int>(\d+)<\/int>/.exec(r.body)?.[1])).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i)),
    );
  });

  it('recovers transparently from a stale nonce', async () => {
    const server = await startServer();
    const t = transport(server.url);
    await t.call('ping', []);
    server.verifier?.expireAllNonces();
    await expect(t.call('ping', [])).resolves.toEqual({ result: 'OK' });
    await expect(t.call('ping', [])).resolves.toEqual({ result: 'OK' });
    expect(server.reasons()).toEqual(['missing', 'ok', 'stale', 'ok', 'ok']);
    const ncs = server.requests.slice(1).map((r) => parseAuthHeader(r.authorization as string)[0].params.nc);
    expect(ncs).toEqual(['00000001', '00000002', '00000001', '00000002']);
  });

  it('re-authenticates once when a strict server rejects a skipped nc with a fresh nonce', async () => {
    // The 2nd authenticated request is "lost" (answered 503 without reaching the verifier), so the
    // client's next nc skips one; the verifier (ncCheck 'next', like Apache) calls that a replay.
    let authenticated = 0;
    const server = await startServer({
      intercept: (seen, res) => {
        if (seen.authorization === undefined || ++authenticated !== 2) return false;
        res.writeHead(503);
        res.end();
        return true;
      },
    });
    const t = transport(server.url);
    await t.call('ping', []);
    expect(await failure(t.call('ping', []))).toMatchObject({ kind: 'http', httpStatus: 503 });
    await expect(t.call('ping', [])).resolves.toEqual({ result: 'OK' });
    expect(server.reasons()).toEqual(['missing', 'ok', 'none', 'replay', 'ok']);
  });

  it('fails with kind auth for a wrong password, never leaking the password', async () => {
    const server = await startServer();
    const t = transport(server.url, { password: 'wrong-' + PASSWORD });
    const error = await failure(t.call('ping', []));
    expect(error.kind).toBe('auth');
    expect(error.httpStatus).toBe(401);
    expect(error.message).toBe(`authentication failed (HTTP 401) for user "${USER}"`);
    for (const text of [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toMatch(/Digest username|response=/);
    }
    expect(inspect(t, { depth: 10, showHidden: true })).not.toContain(PASSWORD);
    expect(JSON.stringify(t)).not.toContain(PASSWORD);
    expect(server.reasons()).toEqual(['missing', 'bad_response']);
    // The next call starts bare again instead of replaying refused credentials.
    await failure(t.call('ping', []));
    expect(server.reasons()).toEqual(['missing', 'bad_response', 'missing', 'bad_response']);
  });

  it('reports an unknown user as auth as well', async () => {
    const server = await startServer();
    const error = await failure(transport(server.url, { username: 'nobody' }).call('ping', []));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('"nobody"');
  });

  it.each([
    [['MD5'], 'MD5'],
    [['SHA-256'], 'SHA-256'],
    [['MD5', 'SHA-256'], 'SHA-256'],
    [['MD5-sess'], 'MD5-sess'],
    [['SHA-256-sess', 'MD5'], 'SHA-256-sess'],
  ] as const)('handles a server offering %j by answering with %s', async (algorithms, expected) => {
    const server = await startServer({ digest: { algorithms: [...algorithms] } });
    const t = transport(server.url);
    await t.call('ping', []);
    await t.call('ping', []);
    expect(server.reasons()).toEqual(['missing', 'ok', 'ok']);
    expect(algorithmsUsed(server)).toEqual([expected, expected]);
  });

  it('works against a Basic-strict server because it never sends Basic', async () => {
    const server = await startServer({ digest: { basicPolicy: 'strict' } });
    const t = transport(server.url);
    await expect(t.call('ping', [])).resolves.toEqual({ result: 'OK' });
    expect(server.requests.every((r) => !/^basic/i.test(r.authorization ?? ''))).toBe(true);
  });

  it('sends no Authorization at all in trusted mode, and maps a refusal to auth', async () => {
    const server = await startServer({ digest: false });
    const t = transport(server.url, { username: undefined, password: undefined });
    await expect(t.call('ping', [])).resolves.toEqual({ result: 'OK' });
    expect(server.requests.map((r) => r.authorization)).toEqual([undefined]);

    const guarded = await startServer();
    const error = await failure(transport(guarded.url, { username: undefined, password: undefined }).call('ping', []));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/no credentials are configured/);
  });

  it('maps an XML-RPC fault to kind fault with code and string', async () => {
    const server = await startServer({ respond: sendXml(FAULT_BODY) });
    const error = await failure(transport(server.url).call('getCDRs', []));
    expect(error).toMatchObject({ kind: 'fault', faultCode: 403, faultString: 'Access denied to method' });
  });

  it('maps HTTP 500 and a redirect to kind http without following it', async () => {
    const server = await startServer({
      respond: (req, res) => {
        res.writeHead(req.headers['x-test'] ? 302 : 500, { location: 'http://127.0.0.1:1/elsewhere' });
        res.end('boom');
      },
    });
    const error = await failure(transport(server.url).call('ping', []));
    expect(error).toMatchObject({ kind: 'http', httpStatus: 500 });
    expect(error.message).toContain('HTTP 500');

    const redirecting = await startServer({
      respond: (_req, res) => {
        res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
        res.end();
      },
    });
    expect(await failure(transport(redirecting.url).call('ping', []))).toMatchObject({ kind: 'http', httpStatus: 302 });
  });

  it('maps a socket destroyed mid-body to unreachable', async () => {
    const server = await startServer({
      respond: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/xml', 'content-length': 5000 });
        res.write(OK_BODY.slice(0, 60), () => setTimeout(() => res.socket?.destroy(), 10));
      },
    });
    const error = await failure(transport(server.url).call('ping', []));
    expect(error.kind).toBe('unreachable');
    expect(error.cause).toBeDefined();
  });

  it('rejects a declared Content-Length above maxResponseBytes early, and a streamed one while reading', async () => {
    const server = await startServer();
    const error = await failure(transport(server.url, { maxResponseBytes: 100 }).call('ping', []));
    expect(error.kind).toBe('too_large');

    const chunked = await startServer({
      respond: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/xml' }); // no Content-Length: chunked
        res.end(OK_BODY);
      },
    });
    const streamed = await failure(transport(chunked.url, { maxResponseBytes: 100 }).call('ping', []));
    expect(streamed.kind).toBe('too_large');
  });

  it('times out when the server never answers, and a queued call counts its wait', async () => {
    const server = await startServer({ digest: false, respond: () => undefined });
    const t = transport(server.url, { username: undefined, password: undefined, timeoutMs: 200 });
    const [first, second] = await Promise.all([failure(t.call('ping', [])), failure(t.call('ping', []))]);
    expect(first.kind).toBe('timeout');
    expect(first.message).toBe(`no answer from ${server.url} within 200 ms`);
    expect(second.kind).toBe('timeout');
    // The second call never got to send: its deadline passed while waiting for the first.
    expect(server.requests).toHaveLength(1);
  });

  it('times out while the body trickles in', async () => {
    const server = await startServer({
      digest: false,
      respond: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(OK_BODY) });
        res.write(OK_BODY.slice(0, 40)); // and never the rest
      },
    });
    const t = transport(server.url, { username: undefined, password: undefined, timeoutMs: 150 });
    const error = await failure(t.call('ping', []));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(`no answer from ${server.url} within 150 ms`);
  });

  it('fails with auth when the 401 offers no supported Digest challenge, or on 403 after answering', async () => {
    const basicOnly = await startServer({
      digest: false,
      respond: (_req, res) => {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="sippy", Digest realm="x", nonce="n", qop="auth-int"' });
        res.end();
      },
    });
    const error = await failure(transport(basicOnly.url).call('ping', []));
    expect(error).toMatchObject({ kind: 'auth', httpStatus: 401 });
    expect(error.message).toMatch(/without a supported Digest challenge/);
    expect(basicOnly.requests.map((r) => r.authorization)).toEqual([undefined]);

    const forbidden = await startServer({
      intercept: (seen, res) => {
        if (seen.authorization === undefined) return false;
        res.writeHead(403);
        res.end();
        return true;
      },
    });
    const refused = await failure(transport(forbidden.url).call('ping', []));
    expect(refused).toMatchObject({ kind: 'auth', httpStatus: 403 });
    expect(refused.message).toBe(`authentication failed (HTTP 403) for user "${USER}"`);
  });

  it('maps a refused port to unreachable', async () => {
    const server = await startServer();
    const url = server.url;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const error = await failure(transport(url).call('ping', []));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('honours the caller signal and refuses calls after close()', async () => {
    const server = await startServer({ digest: false, respond: () => undefined });
    const t = transport(server.url, { username: undefined, password: undefined });
    const controller = new AbortController();
    const pending = failure(t.call('ping', [], { signal: controller.signal }));
    setTimeout(() => { controller.abort(); }, 20);
    expect((await pending).message).toMatch(/cancelled/);
    await t.close();
    expect((await failure(t.call('ping', []))).kind).toBe('config');
  });

  it('validates its options', () => {
    const make = (options: Partial<DigestXmlRpcTransportOptions>) => () =>
      new DigestXmlRpcTransport({ url: 'https://switch.test/xmlapi/xmlapi', ...options });
    expect(make({ url: 'not a url' })).toThrow(/not a valid URL/);
    expect(make({ url: 'ftp://switch.test/' })).toThrow(/http or https/);
    expect(make({ url: `https://u:${PASSWORD}@switch.test/` })).toThrow(/must not contain credentials/);
    expect(make({ username: 'u' })).toThrow(/both username and password/);
    expect(make({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(make({ maxResponseBytes: -1 })).toThrow(/maxResponseBytes/);
    try {
      make({ url: `https://u:${PASSWORD}@switch.test/` })();
    } catch (error) {
      expect(String(error)).not.toContain(PASSWORD);
      expect(error).toBeInstanceOf(SippyError);
    }
    const t = make({ url: 'https://switch.test:8443/xmlapi/xmlapi?token=abc#x' })();
    expect(t.endpoint).toBe('https://switch.test:8443/xmlapi/xmlapi');
    void t.close();
  });
});

describe('DigestXmlRpcTransport over HTTPS (self-signed)', () => {
  let tls: { key: string; cert: string };
  beforeAll(async () => {
    tls = await getSelfSignedCertificate();
  });

  it('refuses a self-signed certificate by default with kind tls and a hint', async () => {
    const server = await startServer({ tls });
    const error = await failure(transport(server.url).call('ping', []));
    expect(error.kind).toBe('tls');
    expect(error.message).toMatch(/SIPPY_CA_FILE/);
    expect(error.message).toMatch(/SIPPY_DISABLE_TLS_VERIFY/);
    expect(server.requests).toHaveLength(0);
  });

  it('works with tls.verify=false for this instance only', async () => {
    const server = await startServer({ tls });
    await expect(transport(server.url, { tls: { verify: false } }).call('ping', [])).resolves.toEqual({ result: 'OK' });
    // Another instance in the same process still verifies.
    expect((await failure(transport(server.url).call('ping', []))).kind).toBe('tls');
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
  });

  it('works when the certificate is trusted through tls.ca', async () => {
    const server = await startServer({ tls });
    const t = transport(server.url, { tls: { ca: tls.cert } });
    await expect(t.call('ping', [])).resolves.toEqual({ result: 'OK' });
    await expect(t.call('ping', [])).resolves.toEqual({ result: 'OK' });
    expect(server.reasons()).toEqual(['missing', 'ok', 'ok']);
  });
});
