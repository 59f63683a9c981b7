import { once } from 'node:events';
import net from 'node:net';

export type TcpProxy = {
  port: number;
  /** Stops forwarding in both directions; connections stay open and new ones are accepted, as in a partition. */
  hang: () => void;
  /** Forwards again, including whatever arrived meanwhile. */
  resume: () => void;
  close: () => Promise<void>;
};

/** A TCP proxy on 127.0.0.1 to `target` that can be told to stop answering without closing anything. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let hung = false;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    if (hung) socket.pause();
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    track(client);
    track(upstream);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    hang: () => {
      hung = true;
      for (const socket of sockets) socket.pause();
    },
    resume: () => {
      hung = false;
      for (const socket of sockets) socket.resume();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A DATABASE_URL like `databaseUrl` that goes through `port` on 127.0.0.1. */
export function throughPort(databaseUrl: string, port: number): string {
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}
