import { createServer, type Server } from 'node:http';
import { FakeServer } from './fake-server';

/** A fake that answers what prepare() set up, so a request proves prepare() ran before listening. */
class GreetingFake extends FakeServer<Server> {
  prepared = 0;
  private greeting = 'not prepared';

  constructor() {
    super('GreetingFake');
  }

  get url(): string {
    return this.lifecycle.origin();
  }

  protected override prepare(): Promise<void> {
    this.prepared += 1;
    this.greeting = `hello ${this.prepared}`;
    return Promise.resolve();
  }

  protected override createServer(): Server {
    return createServer((_req, res) => res.end(this.greeting));
  }
}

describe('FakeServer', () => {
  const fake = new GreetingFake();

  afterEach(async () => {
    await fake.stop();
  });

  it('prepares, then listens; a second start() is an error, stop() allows a new start', async () => {
    expect(() => fake.port).toThrow('GreetingFake: not started');
    await fake.start();
    expect(await (await fetch(fake.url)).text()).toBe('hello 1');
    expect(fake.isListening).toBe(true);
    await expect(fake.start()).rejects.toThrow('GreetingFake: already started');
    expect(fake.prepared).toBe(1);

    await fake.stop();
    await fake.stop();
    expect(fake.isListening).toBe(false);
    await fake.start();
    expect(await (await fetch(fake.url)).text()).toBe('hello 2');
  });

  it('down() refuses connections and up() serves again on the same port', async () => {
    await fake.start();
    const url = fake.url;
    await fake.down();
    expect(fake.isListening).toBe(false);
    await expect(fetch(url)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    await fake.up();
    expect(fake.url).toBe(url);
    expect((await fetch(url)).status).toBe(200);
  });
});
