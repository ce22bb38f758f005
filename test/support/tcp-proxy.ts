import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 between the service and a store, that a test can break the way a
 * network or a server breaks, without stopping the store itself (other tests share it):
 *
 * - `cut()`: the store goes away. Every connection through the proxy is destroyed and the port
 *   stops listening, so new connections are refused.
 * - `freeze()`: the store hangs. Connections stay open and new ones are accepted, but nothing
 *   passes either way: only a timeout can tell the service.
 * - `restore()`: the store is back on the same port. Connections a freeze held are dropped (the
 *   bytes they held are lost, as on a network that came back).
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<{ client: Socket; upstream?: Socket }>();
  private frozen = false;
  /** Connections accepted so far: a test can see the service reconnect. */
  connections = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    private boundPort: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.listen();
    return proxy;
  }

  get port(): number {
    return this.boundPort;
  }

  get state(): 'passing' | 'frozen' | 'cut' {
    return !this.server ? 'cut' : this.frozen ? 'frozen' : 'passing';
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.frozen = false;
    this.dropAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  freeze(): void {
    this.frozen = true;
    for (const { client, upstream } of this.pairs) {
      client.unpipe();
      upstream?.unpipe();
      client.pause();
      upstream?.pause();
    }
  }

  async restore(): Promise<void> {
    if (this.frozen) this.dropAll();
    this.frozen = false;
    if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private dropAll(): void {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream?.destroy();
    }
    this.pairs.clear();
  }

  private async listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as { port: number }).port;
    this.server = server;
  }

  private accept(client: Socket): void {
    this.connections++;
    const pair: { client: Socket; upstream?: Socket } = { client };
    this.pairs.add(pair);
    const forget = () => {
      client.destroy();
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', forget);
    client.on('close', forget);
    if (this.frozen) {
      // Accepted and then ignored, as by a server that hangs.
      client.pause();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', forget);
    upstream.on('close', forget);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
