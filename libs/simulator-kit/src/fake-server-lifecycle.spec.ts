import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { FakeServerLifecycle, type FakeServerDownMode } from './fake-server-lifecycle';

/** An HTTP server that answers `ok`, or never answers `/hang`. */
function httpFactory(): HttpServer {
  return createHttpServer((req, res) => {
    if (req.url === '/hang') return;
    res.end('ok');
  });
}

function lifecycle(mode: FakeServerDownMode = 'refuse', port = 0): FakeServerLifecycle<HttpServer> {
  return new FakeServerLifecycle(httpFactory, { name: 'TestFake', port, downMode: mode });
}

/** Connects; rejects with the error (e.g. ECONNREFUSED). */
function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { resolve(socket); });
    socket.once('error', reject);
  });
}

/** A keep-alive HTTP/1.1 connection that got one `ok` answer and stays open. */
async function keepAlive(port: number): Promise<Socket> {
  const socket = await open(port);
  await new Promise<void>((resolve, reject) => {
    socket.setEncoding('utf8');
    let seen = '';
    socket.on('data', (chunk: string) => {
      seen += chunk;
      if (seen.endsWith('ok')) resolve();
    });
    socket.once('close', () => { reject(new Error('closed before the answer')); });
    socket.write('GET / HTTP/1.1\r\nHost: fake\r\n\r\n');
  });
  return socket;
}

/** A connection with a request the server never answers. */
async function hung(port: number): Promise<Socket> {
  const socket = await open(port);
  socket.on('error', () => undefined);
  socket.write('GET /hang HTTP/1.1\r\nHost: fake\r\n\r\n');
  return socket;
}

function closed(socket: Socket): Promise<void> {
  socket.on('error', () => undefined);
  return socket.destroyed && socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => { resolve(); }));
}

/** What a fresh HTTP request gets: the body, or the error code. */
async function fetchStatus(port: number): Promise<string> {
  try {
    const socket = await keepAlive(port);
    socket.destroy();
    return 'ok';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('FakeServerLifecycle', () => {
  const started: Array<FakeServerLifecycle> = [];
  const track = <S extends Server>(l: FakeServerLifecycle<S>): FakeServerLifecycle<S> => {
    started.push(l);
    return l;
  };

  afterEach(async () => {
    for (const l of started.splice(0)) await l.stop();
  });

  it('starts on 127.0.0.1 with a free port and serves', async () => {
    const l = track(lifecycle());
    expect(l.isStarted).toBe(false);
    expect(() => l.port).toThrow('TestFake: not started');
    await l.start();
    expect(l.isStarted).toBe(true);
    expect(l.isListening).toBe(true);
    expect(l.port).toBeGreaterThan(0);
    expect(l.origin()).toBe(`http://127.0.0.1:${l.port}`);
    expect(l.origin('https')).toBe(`https://127.0.0.1:${l.port}`);
    expect(await fetchStatus(l.port)).toBe('ok');
  });

  it('start() and stop() are idempotent, also when called concurrently', async () => {
    let created = 0;
    const l = track(new FakeServerLifecycle(() => (created++, httpFactory()), { name: 'TestFake' }));
    await Promise.all([l.start(), l.start()]);
    const port = l.port;
    await l.start();
    expect(created).toBe(1);
    expect(l.port).toBe(port);

    await Promise.all([l.stop(), l.stop()]);
    await l.stop();
    expect(l.isStarted).toBe(false);
    expect(l.isListening).toBe(false);
    expect(l.server).toBeUndefined();
    expect(l.port).toBe(port); // the last port stays readable
    expect(await fetchStatus(port)).toBe('ECONNREFUSED');

    await l.start(); // a new server after stop()
    expect(created).toBe(2);
    expect(await fetchStatus(l.port)).toBe('ok');
  });

  it('listens on a given port, and a start() that cannot bind leaves it stopped', async () => {
    const first = track(lifecycle());
    await first.start();
    const taken = track(lifecycle('refuse', first.port));
    await expect(taken.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(taken.isStarted).toBe(false);

    const port = first.port;
    await first.stop();
    await taken.start();
    expect(taken.port).toBe(port);
    expect(await fetchStatus(port)).toBe('ok');
  });

  it('shows a wildcard listen address as 127.0.0.1 and brackets IPv6', async () => {
    const wildcard = track(new FakeServerLifecycle(httpFactory, { name: 'TestFake', host: '0.0.0.0' }));
    await wildcard.start();
    expect(wildcard.origin()).toBe(`http://127.0.0.1:${wildcard.port}`);
    const v6 = new FakeServerLifecycle(httpFactory, { name: 'TestFake', host: '::1' });
    try {
      await v6.start();
    } catch {
      return; // no IPv6 loopback on this machine
    }
    track(v6);
    expect(v6.origin()).toBe(`http://[::1]:${v6.port}`);
  });

  it('down() and up() throw before start() and after stop()', async () => {
    const l = track(lifecycle());
    await expect(l.down()).rejects.toThrow('TestFake: not started');
    await expect(l.up()).rejects.toThrow('TestFake: not started');
    await l.start();
    await l.stop();
    await expect(l.down()).rejects.toThrow('TestFake: not started');
    await expect(l.up()).rejects.toThrow('TestFake: not started');
  });

  describe("downMode 'refuse'", () => {
    it('down() drops open connections (idle and hung) and refuses new ones; up() accepts again on the same port', async () => {
      const l = track(lifecycle('refuse'));
      await l.start();
      const port = l.port;
      const idle = await keepAlive(port);
      const pending = await hung(port);
      await waitFor(() => l.openConnections === 2);

      await l.down();
      await Promise.all([closed(idle), closed(pending)]);
      expect(l.isStarted).toBe(true);
      expect(l.isListening).toBe(false);
      expect(l.openConnections).toBe(0);
      expect(await fetchStatus(port)).toBe('ECONNREFUSED');
      await l.down(); // idempotent
      expect(await fetchStatus(port)).toBe('ECONNREFUSED');

      await l.up();
      await l.up(); // idempotent
      expect(l.isListening).toBe(true);
      expect(l.port).toBe(port);
      expect(await fetchStatus(port)).toBe('ok');
    });

    it('stop() while down closes without error', async () => {
      const l = track(lifecycle('refuse'));
      await l.start();
      await l.down();
      await l.stop();
      expect(l.isStarted).toBe(false);
    });
  });

  describe("downMode 'reset'", () => {
    it('down() keeps the port bound but destroys open and new connections; up() serves again', async () => {
      const l = track(lifecycle('reset'));
      await l.start();
      const port = l.port;
      const idle = await keepAlive(port);

      await l.down();
      await closed(idle);
      expect(l.isListening).toBe(false);
      expect(l.openConnections).toBe(0);
      const status = await fetchStatus(port);
      expect(status).not.toBe('ok');
      expect(status).not.toBe('ECONNREFUSED');
      // nobody else can take the port meanwhile
      const squatter = track(lifecycle('refuse', port));
      await expect(squatter.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });

      await l.up();
      expect(l.port).toBe(port);
      expect(await fetchStatus(port)).toBe('ok');
    });
  });

  it('stop() finishes with open keep-alive and hung connections (HTTP and raw TCP)', async () => {
    const http = track(lifecycle());
    await http.start();
    const sockets = [await keepAlive(http.port), await keepAlive(http.port), await hung(http.port)];
    await waitFor(() => http.openConnections === 3);
    await http.stop();
    await Promise.all(sockets.map(closed));
    expect(http.openConnections).toBe(0);

    // a plain TCP server's close() waits for every connection: only destroying them ends it
    const tcp = track(new FakeServerLifecycle(() => createNetServer(() => undefined), { name: 'TestTcp' }));
    await tcp.start();
    const raw = await open(tcp.port);
    await waitFor(() => tcp.openConnections === 1);
    await tcp.stop();
    await closed(raw);
  });

  describe('timers', () => {
    afterEach(() => jest.useRealTimers());

    it('later() and delay() run after their time, unless down() or stop() comes first', async () => {
      const l = track(lifecycle());
      await l.start();
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      const ran: string[] = [];
      l.later(1000, () => ran.push('before-down'));
      void l.delay(1000).then(() => ran.push('delay-before-down'));
      await l.down();
      await l.up();
      l.later(1000, () => ran.push('after-up'));
      void l.delay(1000).then(() => ran.push('delay-after-up'));
      jest.advanceTimersByTime(1000);
      await Promise.resolve();
      expect(ran).toEqual(['after-up', 'delay-after-up']);

      l.later(1000, () => ran.push('before-stop'));
      await l.stop();
      jest.advanceTimersByTime(1000);
      expect(ran).toEqual(['after-up', 'delay-after-up']);
    });
  });
});
