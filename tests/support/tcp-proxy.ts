/**
 * A TCP proxy on 127.0.0.1 in front of a real server, which a test can cut (every open
 * connection is destroyed and new ones are refused, as when a database host dies) and
 * restore. The fault is real: the driver sees its sockets reset.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Destroys every connection and refuses new ones until restore(). */
  cut(): void;
  /** Accepts and never answers: open connections stop forwarding, new ones are held silent (until restore() for new ones). */
  blackhole(): void;
  restore(): void;
  close(): Promise<void>;
  /** Connections accepted and bytes the clients sent since start (forwarded or held silent alike). */
  traffic(): { readonly connections: number; readonly bytes: number };
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const pairs = new Set<readonly [Socket, Socket]>();
  let down = false;
  let silent = false;
  let connections = 0;
  let bytes = 0;
  const server: Server = createServer((client) => {
    connections += 1;
    client.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    if (down) {
      client.destroy();
      return;
    }
    if (silent) {
      // Held open, read and dropped: the peer waits for an answer that never comes.
      open.add(client);
      client.on('error', () => client.destroy()).on('close', () => open.delete(client));
      client.resume();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
    pairs.add([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    down = true;
    for (const socket of open) socket.destroy();
    open.clear();
    pairs.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    cut,
    blackhole() {
      silent = true;
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.resume();
        upstream.resume();
      }
    },
    traffic: () => ({ connections, bytes }),
    restore() {
      down = false;
      silent = false;
    },
    close() {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
