/** A TCP proxy a test controls: it can black-hole traffic (a partition: no reset, no answer) or cut its connections. */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Every connection, open and new, stops carrying data (or carries it again). */
  blackhole(on: boolean): void;
  /** The connections open now stop carrying data for good; new ones work (a partition that heals for a fresh connect). */
  partitionOpenConnections(): void;
  /** Closes every open connection. */
  cut(): void;
  close(): void;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let dropping = false;
  const sockets = new Set<net.Socket>();
  const partitioned = new WeakSet<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => (client.destroy(), upstream.destroy(), sockets.delete(socket)));
    }
    const carries = () => !dropping && !partitioned.has(client);
    client.on('data', (data) => carries() && upstream.write(data));
    upstream.on('data', (data) => carries() && client.write(data));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    blackhole: (on) => (dropping = on),
    partitionOpenConnections: () => {
      for (const socket of sockets) partitioned.add(socket);
    },
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () => {
      proxy.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}
