import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { buildApp, type AppOverrides } from '../../gateway/app.ts';
import { loadConfig } from '../../gateway/config.ts';
import { testDatabaseEnv } from './test-database.ts';

export const ADMIN = 'test-admin-token';

export interface TestApp {
  app: FastifyInstance;
  url: string;
  dataDir: string;
  api<T = any>(method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export function tempDir(prefix = 'sb-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Boots the real gateway on 127.0.0.1:0 with a fresh database (or `dataDir`'s, to restart): an SQLite
 * file in `dataDir`, or with TEST_DATABASE_URL a PostgreSQL database of its own.
 */
export async function startApp(env: Record<string, string> = {}, overrides: AppOverrides = {}, dataDir = tempDir()): Promise<TestApp> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    ADMIN_TOKEN: ADMIN,
    SMTP_PORT: '0',
    OUTBOX_RETRY_BASE_MS: '20',
    OUTBOX_RETRY_MAX_MS: '200',
    SQLITE_SYNCHRONOUS: 'NORMAL',
    ...(await testDatabaseEnv(dataDir)),
    ...env,
  });
  const app = await buildApp(config, { logger: false, ...overrides });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    url,
    dataDir,
    async api(method, p, body, token = ADMIN) {
      const res = await fetch(url + p, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    close: () => app.close(),
  };
}

/** A chat visitor: a session and a socket that records every frame it receives. */
export class ChatClient {
  frames: any[] = [];
  private waiters: Array<() => void> = [];
  ws!: WebSocket;
  private constructor(public base: string, readonly session: { sessionId: string; token: string }) {}

  static async open(base: string, body: object = { name: 'Ann Visitor', email: 'ann@example.com' }): Promise<ChatClient> {
    const res = await fetch(`${base}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`session: ${res.status}`);
    const c = new ChatClient(base, (await res.json()) as { sessionId: string; token: string });
    await c.connect();
    return c;
  }

  /** (Re)connects, to `base` when the server moved (a restart on another port). */
  async connect(base = this.base): Promise<void> {
    this.base = base;
    this.frames = [];
    this.ws = new WebSocket(`${this.base.replace('http', 'ws')}/chat/ws?token=${this.session.token}`);
    this.ws.on('message', (d) => {
      this.frames.push(JSON.parse(d.toString()));
      this.waiters.splice(0).forEach((w) => w());
    });
    await new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits for a frame matching `pred` (already received or arriving within `ms`). */
  async waitFor(pred: (f: any) => boolean, ms = 10_000): Promise<any> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.frames.find(pred);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame; got ${JSON.stringify(this.frames).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    if (this.ws.readyState === this.ws.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** Polls `fn` until it returns a truthy value. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
