// The project's server on a free loopback port (as python/tests/conftest.py
// starts it), and a scripted responder for the shapes and failures the real
// server does not produce.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs from node/dist/tests/). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The package folder, node/. */
export const PKG = join(ROOT, 'node');

export function serverBin(): string {
  const env = process.env.NOVABILLING_SERVER_BIN;
  if (env) return env;
  for (const d of ['target/x86_64-unknown-linux-gnu/debug', 'target/debug']) {
    const p = join(ROOT, d, 'novabilling-server');
    if (existsSync(p)) return p;
  }
  throw new Error('build the server first: cargo build -p novabilling-server');
}

export interface Server {
  url: string;
  /** The dev tenant's key. */
  key: string;
  db: string;
  /** A key of a fresh tenant, so a test sees only its own customers. */
  newKey(): string;
  stop(): Promise<void>;
}

let tenants = 0;

/** Starts the server; `extra` are more `serve` flags. */
export async function startServer(extra: string[] = []): Promise<Server> {
  const tmp = mkdtempSync(join(tmpdir(), 'novabilling-node-'));
  const db = `sqlite://${join(tmp, 'test.db')}`;
  const keyFile = join(tmp, 'dev-key');
  const proc: ChildProcess = spawn(
    serverBin(),
    ['serve', '--bind', '127.0.0.1:0', '--database', db, '--dev', '--dev-key-file', keyFile, ...extra],
    { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, RUST_LOG: 'warn' } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('listening on ')) resolve(line.split(' ', 3)[2].trim());
    });
    proc.on('exit', () => reject(new Error('the server exited before it listened')));
  });
  return {
    url,
    key: readFileSync(keyFile, 'utf8').trim(),
    db,
    newKey() {
      const tenant = `t${process.pid}_${Date.now()}_${tenants++}`;
      return execFileSync(serverBin(), ['keys', 'create', '--tenant', tenant, '--test', '--database', db], { encoding: 'utf8' }).trim();
    },
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Milliseconds to wait before answering. */
  delayMs?: number;
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } };
}

export interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers each request with the next reply; the last one repeats. */
export class Canned {
  readonly seen: Seen[] = [];
  /** Requests whose client went away before the answer. */
  closedEarly = 0;
  private server: HttpServer;
  url = '';

  private constructor(private replies: Reply[]) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const reply = this.replies.length > 1 ? this.replies.shift()! : this.replies[0];
        let answered = false;
        res.on('close', () => {
          if (!answered) this.closedEarly++;
        });
        const answer = () => {
          answered = true;
          if (res.destroyed) return;
          const body = reply.body ?? '{}';
          res.writeHead(reply.status, { ...(reply.headers ?? {}), 'content-length': Buffer.byteLength(body) });
          res.end(body);
        };
        if (reply.delayMs) setTimeout(answer, reply.delayMs);
        else answer();
      });
    });
  }

  static async start(...replies: Reply[]): Promise<Canned> {
    const c = new Canned(replies);
    await new Promise<void>((r) => c.server.listen(0, '127.0.0.1', r));
    c.url = `http://127.0.0.1:${(c.server.address() as AddressInfo).port}`;
    return c;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

export interface VectorFile<T> {
  cases: T[];
}

export function loadVectors<T = Record<string, unknown>>(name: string): T[] {
  return (JSON.parse(readFileSync(join(ROOT, 'tests', 'vectors', name), 'utf8')) as VectorFile<T>).cases;
}
