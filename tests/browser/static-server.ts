/** A tiny loopback HTTP server for browser tests that need just a page. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

export async function startStaticServer(
  routes: Record<string, { type?: string; body: string; status?: number; headers?: Record<string, string> }> = {},
): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    const r = routes[new URL(req.url ?? '/', 'http://x').pathname] ?? {
      body: '<!doctype html><title>blank</title><p>blank</p>',
    };
    res.writeHead(r.status ?? 200, { 'content-type': r.type ?? 'text/html; charset=utf-8', ...r.headers });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
