import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

import fc from 'fast-check';

import { serializeFault, serializeMethodResponse } from '../codec/xml-rpc-serializer';
import { SippyError, type SippyErrorKind } from '../errors/sippy.error';
import { DigestXmlRpcTransport } from './digest-xml-rpc-transport';
import type { DigestXmlRpcTransportOptions } from './xml-rpc-transport';

/*
 * Hostile HTTP bodies against DigestXmlRpcTransport, from a raw TCP server on 127.0.0.1:0 that
 * writes whatever bytes a test wants (bad framing, endless bodies, trickles). Every call must
 * resolve with a value or reject with a SippyError of a known kind, within a generous deadline.
 * Seed fixed; fast-check prints seed and path on failure.
 */
const SEED = 0x7a_a5_00;
fc.configureGlobal({ seed: SEED, numRuns: 200 });

const HANG_MS = 5000;
const MB = 1024 * 1024;
const KINDS: readonly SippyErrorKind[] = ['auth', 'tls', 'timeout', 'unreachable', 'http', 'fault', 'malformed', 'too_large'];

/** Writes the response for one request. `socket` is closed by the harness afterwards unless the responder keeps it. */
type Responder = (socket: Socket, stats: ResponseStats) => Promise<void> | void;

interface ResponseStats {
  /** Body bytes handed to the kernel (write() with backpressure), not counting headers. */
  bodyBytesSent: number;
  /** The client closed the connection before the responder finished. */
  clientClosed: boolean;
  closedAt?: number;
}

interface RawServer {
  url: string;
  respond(responder: Responder): void;
  last(): ResponseStats;
  close(): Promise<void>;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

let server: RawServer;
const transports: DigestXmlRpcTransport[] = [];

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startRawServer();
});

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
});

afterAll(async () => {
  await server.close();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

/** A minimal HTTP/1.1 server on raw sockets: reads one request (headers + content-length body), then runs the responder. */
async function startRawServer(): Promise<RawServer> {
  let responder: Responder = (socket) => {
    socket.end('HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  };
  let stats: ResponseStats = { bodyBytesSent: 0, clientClosed: false };
  const sockets = new Set<Socket>();
  const tcp: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined); // EPIPE/ECONNRESET when the client hangs up is the point
    let head = Buffer.alloc(0);
    let finished = false;
    socket.on('close', () => {
      sockets.delete(socket);
      if (!finished) {
        current.clientClosed = true;
        current.closedAt ??= performance.now();
      }
    });
    const current: ResponseStats = { bodyBytesSent: 0, clientClosed: false };
    const onData = (data: Buffer): void => {
      head = Buffer.concat([head, data]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(head.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      if (head.length < end + 4 + length) return;
      socket.off('data', onData);
      stats = current;
      void Promise.resolve(responder(socket, current))
        .catch(() => undefined)
        .finally(() => {
          finished = true;
          if (!socket.destroyed) socket.end();
        });
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const { port } = tcp.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/xmlapi/xmlapi`,
    respond(next) {
      responder = next;
    },
    last: () => stats,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => { resolve(); }));
    },
  };
}

function transport(options: Partial<DigestXmlRpcTransportOptions> = {}): DigestXmlRpcTransport {
  // Trusted mode (no credentials): the subject here is the response body, not Digest.
  const created = new DigestXmlRpcTransport({ url: server.url, timeoutMs: 3000, ...options });
  transports.push(created);
  return created;
}

/** Resolves when the socket can take more data, or when it is gone (then returns false). */
function drained(socket: Socket): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
    };
    const onDrain = (): void => {
      done();
      resolve(true);
    };
    const onClose = (): void => {
      done();
      resolve(false);
    };
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}

/** Writes `chunk` repeatedly with backpressure until `total` bytes or the client hangs up. */
async function pump(socket: Socket, stats: ResponseStats, chunk: Buffer, total: number, chunked: boolean): Promise<void> {
  while (stats.bodyBytesSent < total && !socket.destroyed) {
    const piece = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk;
    const ok = socket.write(piece);
    stats.bodyBytesSent += chunk.length;
    if (!ok && !(await drained(socket))) return;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls the transport, racing a deadline; returns the value or the typed error, rethrows anything else. */
async function callOrTypedError(t: DigestXmlRpcTransport): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { reject(new Error(`HANG: no result within ${HANG_MS} ms`)); }, HANG_MS);
  });
  try {
    return await Promise.race([t.call('getAccountCDRs', [{ limit: 10 }]), deadline]);
  } catch (error) {
    if (error instanceof SippyError && KINDS.includes(error.kind)) return error;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function expectKind(t: DigestXmlRpcTransport, kind: SippyErrorKind): Promise<SippyError> {
  const result = await callOrTypedError(t);
  expect(result).toBeInstanceOf(SippyError);
  expect((result as SippyError).kind).toBe(kind);
  return result as SippyError;
}

const OK_HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\nconnection: close\r\n';
const XML_HEAD = Buffer.from('<?xml version="1.0"?><methodResponse><params><param><value><string>');

function sendBody(body: Buffer | string): Responder {
  return (socket) => {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    socket.write(`${OK_HEAD}content-length: ${bytes.length}\r\n\r\n`);
    socket.write(bytes);
  };
}

// -- the big ones: built once -------------------------------------------------------------------

const FILL = Buffer.alloc(256 * 1024, 'a');

describe(`DigestXmlRpcTransport with hostile bodies (seed ${SEED})`, () => {
  it('50 MB chunked body, maxResponseBytes 16 MB: too_large quickly, the rest is never read', async () => {
    const total = 50 * MB;
    server.respond(async (socket, stats) => {
      socket.write(`${OK_HEAD}transfer-encoding: chunked\r\n\r\n`);
      socket.write(`${XML_HEAD.length.toString(16)}\r\n`);
      socket.write(XML_HEAD);
      socket.write('\r\n');
      await pump(socket, stats, FILL, total, true);
    });
    const error = await expectKind(transport({ maxResponseBytes: 16 * MB }), 'too_large');
    const sentAtRejection = server.last().bodyBytesSent;
    expect(error.message).toContain(String(16 * MB));
    // Had the transport buffered the body, the server would have written all 50 MB by now.
    expect(sentAtRejection).toBeLessThan(total);
    for (let i = 0; i < 100 && !server.last().clientClosed; i++) await sleep(10);
    expect(server.last().clientClosed).toBe(true);
    // 16 MB read + what the kernel's socket buffers hold (send ≤ 4 MB, receive autotuned) — far below 50 MB.
    expect(server.last().bodyBytesSent).toBeLessThan(40 * MB);
  });

  it('50 MB declared by Content-Length: too_large before reading the body', async () => {
    const total = 50 * MB;
    server.respond(async (socket, stats) => {
      socket.write(`${OK_HEAD}content-length: ${total}\r\n\r\n`);
      await pump(socket, stats, FILL, total, false);
    });
    await expectKind(transport({ maxResponseBytes: 16 * MB }), 'too_large');
    expect(server.last().bodyBytesSent).toBeLessThan(total);
    for (let i = 0; i < 100 && !server.last().clientClosed; i++) await sleep(10);
    expect(server.last().clientClosed).toBe(true);
  });

  it('an endless chunked body: too_large at the limit, the connection is dropped', async () => {
    server.respond(async (socket, stats) => {
      socket.write(`${OK_HEAD}transfer-encoding: chunked\r\n\r\n`);
      socket.write(`${XML_HEAD.length.toString(16)}\r\n`);
      socket.write(XML_HEAD);
      socket.write('\r\n');
      await pump(socket, stats, FILL, Infinity, true); // only ends when the client hangs up
    });
    await expectKind(transport({ maxResponseBytes: 2 * MB }), 'too_large');
    for (let i = 0; i < 100 && !server.last().clientClosed; i++) await sleep(10);
    expect(server.last().clientClosed).toBe(true);
  });

  it('an endless trickled body below the size limit: timeout at timeoutMs', async () => {
    server.respond(async (socket, stats) => {
      socket.write(`${OK_HEAD}transfer-encoding: chunked\r\n\r\n`);
      socket.write(`${XML_HEAD.length.toString(16)}\r\n`);
      socket.write(XML_HEAD);
      socket.write('\r\n');
      const piece = FILL.subarray(0, 4096);
      while (!socket.destroyed) {
        socket.write(`${piece.length.toString(16)}\r\n`);
        socket.write(piece);
        socket.write('\r\n');
        stats.bodyBytesSent += piece.length;
        await sleep(5);
      }
    });
    const started = performance.now();
    await expectKind(transport({ timeoutMs: 400 }), 'timeout');
    // not early (a lower bound is safe on a loaded machine; the upper bound is the test's own timeout)
    expect(performance.now() - started).toBeGreaterThanOrEqual(350);
  });

  it('slowloris: one byte every 30 ms (body, then headers) is a timeout, not a hang', async () => {
    const body = Buffer.from(serializeMethodResponse('slow'));
    server.respond(async (socket) => {
      socket.write(`${OK_HEAD}content-length: ${body.length}\r\n\r\n`);
      for (const byte of body) {
        if (socket.destroyed) return;
        socket.write(Buffer.from([byte]));
        await sleep(30);
      }
    });
    let started = performance.now();
    await expectKind(transport({ timeoutMs: 300 }), 'timeout');
    expect(performance.now() - started).toBeLessThan(3000);

    const head = Buffer.from(`${OK_HEAD}content-length: ${body.length}\r\n\r\n`);
    server.respond(async (socket) => {
      for (const byte of head) {
        if (socket.destroyed) return;
        socket.write(Buffer.from([byte]));
        await sleep(30);
      }
    });
    started = performance.now();
    await expectKind(transport({ timeoutMs: 300 }), 'timeout');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('DOCTYPE + nested entities ("billion laughs") is malformed, without expansion', async () => {
    const entities = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    server.respond(
      sendBody(
        `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join('')}]>` +
          '<methodResponse><params><param><value><string>&lol9;</string></value></param></params></methodResponse>',
      ),
    );
    const started = performance.now();
    const error = await expectKind(transport(), 'malformed');
    expect(error.message).toContain('DOCTYPE');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('an external entity (SYSTEM file:///etc/passwd) is malformed and the file never shows up', async () => {
    server.respond(
      sendBody(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
          '<methodResponse><params><param><value><string>&xxe;</string></value></param></params></methodResponse>',
      ),
    );
    const error = await expectKind(transport(), 'malformed');
    expect(`${error.message} ${String(error.cause)}`).not.toMatch(/root:|nologin/);
  });

  it('invalid UTF-8: replaced by U+FFFD inside a string, malformed inside markup', async () => {
    const [head, tail] = serializeMethodResponse('a|b').split('|');
    server.respond(sendBody(Buffer.concat([Buffer.from(head), Buffer.from([0xc0, 0xaf, 0xff, 0xed, 0xa0, 0x80]), Buffer.from(tail)])));
    const value = await callOrTypedError(transport());
    expect(value).toMatch(/^a\uFFFD+b$/);

    server.respond(sendBody(Buffer.concat([Buffer.from('<?xml version="1.0"?><method'), Buffer.from([0xff, 0xfe]), Buffer.from('Response/>')])));
    await expectKind(transport(), 'malformed');
  });

  it('100 000 nesting levels: malformed at the depth limit', async () => {
    const n = 100_000;
    server.respond(
      sendBody(
        `<?xml version="1.0"?><methodResponse><params><param><value>${'<array><data><value>'.repeat(n)}1${'</value></data></array>'.repeat(n)}</value></param></params></methodResponse>`,
      ),
    );
    const error = await expectKind(transport(), 'malformed');
    expect(error.message).toContain('nested deeper than');
  });

  it('random responses (status, framing, headers, body): a value or a typed error, never a hang', async () => {
    const validBodies = [
      serializeMethodResponse({ result: 'OK', cdrs: [{ i_cdr: 1, cli: '+15550100' }] }),
      serializeMethodResponse([1, 'two', null, 3.5]),
      serializeFault(403, 'Access denied'),
      '<html><body>502 Bad Gateway</body></html>',
    ];
    const bodyArb = fc.oneof(
      fc.constantFrom(...validBodies).map((b) => Buffer.from(b)),
      fc
        .tuple(fc.constantFrom(...validBodies), fc.nat())
        .map(([b, at]) => Buffer.from(b).subarray(0, at % (Buffer.byteLength(b) + 1))), // truncated
      fc
        .tuple(fc.constantFrom(...validBodies), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 }))
        .map(([b, at, bytes]) => {
          const buf = Buffer.from(b);
          const i = at % buf.length;
          return Buffer.concat([buf.subarray(0, i), bytes, buf.subarray(i)]);
        }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    );
    const framing = fc.constantFrom('length', 'chunked', 'close', 'length-too-long', 'length-too-short', 'bad-length', 'bad-chunked', 'raw-garbage');
    const status = fc.oneof(
      { weight: 3, arbitrary: fc.constant(200) },
      { weight: 1, arbitrary: fc.constantFrom(201, 204, 301, 400, 401, 403, 404, 500, 502, 503) },
    );
    const badLength = fc.constantFrom('-1', '1e3', 'abc', '99999999999999999999999', '10, 11', '');

    const t = transport({ timeoutMs: 2000, maxResponseBytes: 64 * 1024 });
    await fc.assert(
      fc.asyncProperty(bodyArb, framing, status, badLength, fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 5 }), async (body, frame, code, lengthText, cuts) => {
        server.respond((socket) => {
          const statusLine = `HTTP/1.1 ${code} X\r\ncontent-type: text/xml\r\nconnection: close\r\n`;
          switch (frame) {
            case 'length':
              socket.write(`${statusLine}content-length: ${body.length}\r\n\r\n`);
              socket.write(body);
              return;
            case 'chunked': {
              socket.write(`${statusLine}transfer-encoding: chunked\r\n\r\n`);
              let from = 0;
              for (const size of [...cuts, Infinity]) {
                const piece = body.subarray(from, from + size);
                from += piece.length;
                if (piece.length > 0) socket.write(`${piece.length.toString(16)}\r\n${piece.toString('latin1')}\r\n`, 'latin1');
              }
              socket.write('0\r\n\r\n');
              return;
            }
            case 'close':
              socket.write(`${statusLine}\r\n`);
              socket.write(body);
              return;
            case 'length-too-long':
              socket.write(`${statusLine}content-length: ${body.length + 100}\r\n\r\n`);
              socket.write(body);
              return;
            case 'length-too-short':
              socket.write(`${statusLine}content-length: ${Math.max(0, body.length - 5)}\r\n\r\n`);
              socket.write(body);
              return;
            case 'bad-length':
              socket.write(`${statusLine}content-length: ${lengthText}\r\n\r\n`);
              socket.write(body);
              return;
            case 'bad-chunked':
              socket.write(`${statusLine}transfer-encoding: chunked\r\n\r\nzz\r\n`);
              socket.write(body);
              return;
            case 'raw-garbage':
              socket.write(body);
              return;
          }
        });
        const result = await callOrTypedError(t); // races the HANG_MS timer
        if (result instanceof SippyError) {
          expect(result.message).not.toContain('\u0000');
        } else {
          expect(code).toBe(200); // a value only ever comes from a 200
        }
      }),
    );
  });
});
