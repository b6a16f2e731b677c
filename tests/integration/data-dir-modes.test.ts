/**
 * Everything the gateway keeps under DATA_DIR (the database and its WAL, attachments, outgoing .eml
 * files, the thread key) is customer data: folders are 0700 and files 0600, whatever the umask, and
 * a data dir left readable by others is tightened at start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { eventually, startApp, tempDir, type TestApp } from '../support/test-app.ts';
import { deliverSmtp } from '../support/smtp-sink.ts';
import type { EmailChannel } from '../../channels/email/index.ts';
import { mailWithPdf, SUPPORT } from './email-kit.ts';

const CUSTOMER = 'kai@customer.test';

function mailWithAttachment(): string {
  return mailWithPdf({ from: `Kai <${CUSTOMER}>`, text: 'See the invoice, it has my bank details.', pdf: Buffer.from('%PDF-1.4 pretend invoice\n') });
}

async function boot(dataDir: string, log?: string[]): Promise<TestApp> {
  const logger = log ? { level: 'info', stream: { write: (line: string) => void log.push(line) } } : false;
  // no SMTP_URL: answers are written as .eml files under DATA_DIR/outbox
  return startApp({ SUPPORT_EMAIL: SUPPORT, SMTP_URL: '' }, { smtpListenPort: 0, logger }, dataDir);
}

/** an inbound mail with an attachment, and an answer written to the outbox */
async function exchangeMail(t: TestApp): Promise<void> {
  const port = (t.app.switchboard.channels.get('email') as EmailChannel).smtpAddress()!.port;
  expect((await deliverSmtp(port, { from: CUSTOMER, to: [SUPPORT] }, mailWithAttachment())).code).toBe(250);
  await t.app.switchboard.pipeline.idle();
  const [kase] = (await t.api('GET', `/api/v1/cases?contact=${CUSTOMER}`)).body.items;
  expect((await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'Thanks, received.' })).status).toBe(202);
  await eventually(async () => fs.existsSync(path.join(t.dataDir, 'outbox')) && fs.readdirSync(path.join(t.dataDir, 'outbox')).some((f) => f.endsWith('.eml')), 10_000, 'an .eml file');
}

/** every folder and file under `dir`, `dir` included, with its permission bits */
function modesUnder(dir: string): Array<{ path: string; kind: 'dir' | 'file'; mode: string }> {
  const out: Array<{ path: string; kind: 'dir' | 'file'; mode: string }> = [{ path: '.', kind: 'dir', mode: (fs.statSync(dir).mode & 0o777).toString(8) }];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    out.push({ path: path.relative(dir, full), kind: entry.isDirectory() ? 'dir' : 'file', mode: (fs.statSync(full).mode & 0o777).toString(8) });
  }
  return out;
}

function expectPrivate(dir: string): void {
  const modes = modesUnder(dir);
  const paths = modes.map((m) => m.path);
  // the test covers every kind of file the gateway writes
  expect(paths).toEqual(expect.arrayContaining(['switchboard.db', 'switchboard.db-wal', 'switchboard.db-shm', 'email-thread.key', 'attachments', 'outbox']));
  expect(paths.some((p) => p.startsWith(`attachments${path.sep}`))).toBe(true);
  expect(paths.some((p) => p.startsWith(`outbox${path.sep}`) && p.endsWith('.eml'))).toBe(true);
  expect(modes.filter((m) => m.mode !== (m.kind === 'dir' ? '700' : '600'))).toEqual([]);
}

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('file modes under DATA_DIR', () => {
  it('a fresh DATA_DIR and everything the gateway writes in it are readable by this user only', async () => {
    const dataDir = path.join(tempDir(), 'data');
    app = await boot(dataDir);
    await exchangeMail(app);
    expectPrivate(dataDir);
  });

  it('a DATA_DIR left readable by others is tightened at start, with a line in the log', async () => {
    const dataDir = path.join(tempDir(), 'data');
    app = await boot(dataDir);
    await exchangeMail(app);
    await app.close();
    app = undefined;
    // as an earlier version (or a careless copy) would have left it
    for (const m of modesUnder(dataDir)) fs.chmodSync(path.join(dataDir, m.path), m.kind === 'dir' ? 0o755 : 0o644);

    const log: string[] = [];
    app = await boot(dataDir, log);
    await exchangeMail(app);
    expectPrivate(dataDir);
    const lines = log.map((l) => JSON.parse(l) as { msg: string; path?: string });
    expect(lines.find((l) => l.path === dataDir && /tightened/u.test(l.msg))).toBeDefined();
  });
});
