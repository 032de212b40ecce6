/** Loopback clients for the tests: TCP, TLS, UDP, HTTP. */
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { request } from 'node:http';
import type { Component } from '../../src/component/types.js';

/** Host and port of the endpoint of `c` with this scheme (`tcp`, `udp`, `tls`, `http`). */
export function endpoint(c: Component, scheme: string): { host: string; port: number } {
  const url = (c.endpoints?.() ?? []).find((e) => e.startsWith(`${scheme}://`));
  if (!url) throw new Error(`${c.name} has no ${scheme} endpoint: ${c.endpoints?.()}`);
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) };
}

function finish(sock: Socket, data: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => {
    sock.on('error', reject);
    sock.on('close', () => resolve());
    sock.end(data);
    sock.resume();
  });
}

export async function tcpSend(port: number, data: Buffer | string): Promise<void> {
  const sock = connect({ host: '127.0.0.1', port });
  await new Promise<void>((r, j) => sock.once('connect', r).once('error', j));
  await finish(sock, data);
}

export async function tlsSend(port: number, ca: string, data: Buffer | string): Promise<void> {
  const sock = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
  await new Promise<void>((r, j) => sock.once('secureConnect', r).once('error', j));
  await finish(sock, data);
}

export async function udpSend(port: number, messages: (string | Buffer)[]): Promise<void> {
  const sock = createSocket('udp4');
  for (const m of messages) await new Promise<void>((r, j) => sock.send(m, port, '127.0.0.1', (e) => (e ? j(e) : r())));
  await new Promise<void>((r) => sock.close(() => r()));
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function httpRequest(
  port: number,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[]; signal?: AbortSignal },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'POST', path: opts.path ?? '/', headers: opts.headers, signal: opts.signal }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.chunks) {
      for (const c of opts.chunks) req.write(c);
      req.end();
    } else req.end(opts.body);
  });
}
