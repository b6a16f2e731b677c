/**
 * The inbound SMTP listener cannot be held by one client: each address gets a bounded share of the
 * connections (the next one is told 421 and dropped), silent connections are dropped after the idle
 * timeout, a sender trickling its DATA is cut off at the connection time limit, and meanwhile mail
 * from other addresses goes through.
 */
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import nodemailer from 'nodemailer';
import { emailConfigFromEnv } from '../../channels/email/email.config.ts';
import { eventually } from '../support/test-app.ts';
import { rawMail, startEmailApp, SUPPORT, type EmailApp } from './email-kit.ts';

/** a raw SMTP client that records every reply line and whether the server closed the connection */
class RawSmtp {
  lines: string[] = [];
  closed = false;
  private readonly socket: net.Socket;
  private buffered = '';

  constructor(port: number, localAddress = '127.0.0.1') {
    this.socket = net.connect({ host: '127.0.0.1', port, localAddress });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      const parts = this.buffered.split('\r\n');
      this.buffered = parts.pop()!;
      this.lines.push(...parts);
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.closed = true;
    });
  }

  /** the first reply line of the server (its greeting or its refusal) */
  greeting(): Promise<string> {
    return eventually(async () => this.lines[0], 5_000, 'a greeting');
  }

  /** waits for a reply line starting with `code` */
  reply(code: string, ms = 5_000): Promise<string> {
    return eventually(async () => this.lines.find((l) => l.startsWith(`${code} `)), ms, `a ${code} reply; got ${JSON.stringify(this.lines)}`);
  }

  whenClosed(ms = 5_000): Promise<true> {
    return eventually(async () => this.closed, ms, 'the server to close the connection');
  }

  write(text: string): void {
    this.socket.write(text);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** sends a mail through the listener from `localAddress` (another loopback address than the idle clients') */
async function deliverFrom(localAddress: string, port: number, from: string): Promise<number> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, localAddress, secure: false, ignoreTLS: true, connectionTimeout: 10_000 });
  try {
    const info = await transport.sendMail({ envelope: { from, to: [SUPPORT] }, raw: rawMail({ from }) });
    return Number(info.response.slice(0, 3));
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    if (typeof code === 'number') return code;
    throw err;
  } finally {
    transport.close();
  }
}

let app: EmailApp | undefined;
const clients: RawSmtp[] = [];

function connect(port: number, localAddress?: string): RawSmtp {
  const c = new RawSmtp(port, localAddress);
  clients.push(c);
  return c;
}

afterEach(async () => {
  clients.splice(0).forEach((c) => c.destroy());
  await app?.stop();
  app = undefined;
});

describe('SMTP connection limits', () => {
  it('25 idle connections from one address do not block a mail from another address', async () => {
    app = await startEmailApp();
    const { maxConnectionsPerAddress } = emailConfigFromEnv({ SUPPORT_EMAIL: SUPPORT }, app.dataDir);
    const idle = Array.from({ length: 25 }, () => connect(app!.smtpPort));
    const greetings = await Promise.all(idle.map((c) => c.greeting()));

    expect(await deliverFrom('127.0.0.2', app.smtpPort, 'other@customer.test')).toBe(250);
    expect(await app.casesOf('other@customer.test')).toHaveLength(1);
    expect(greetings.filter((g) => g.startsWith('220 '))).toHaveLength(maxConnectionsPerAddress);
    expect(greetings.filter((g) => g.startsWith('421 '))).toHaveLength(25 - maxConnectionsPerAddress);
  });

  it('the connection over the per-address limit gets 421 and is closed; idle ones are dropped after the idle timeout', async () => {
    app = await startEmailApp({ SMTP_MAX_CONNECTIONS_PER_ADDRESS: '3', SMTP_IDLE_TIMEOUT_MS: '400' });
    const held = [connect(app.smtpPort), connect(app.smtpPort), connect(app.smtpPort)];
    for (const c of held) expect(await c.greeting()).toMatch(/^220 /u);

    const extra = connect(app.smtpPort);
    expect(await extra.greeting()).toMatch(/^421 .*too many connections from your address/iu);
    await extra.whenClosed();

    // while 127.0.0.1 holds its three, another address is served
    expect(await deliverFrom('127.0.0.2', app.smtpPort, 'bea@customer.test')).toBe(250);

    for (const c of held) {
      expect(await c.reply('421')).toMatch(/timeout/iu);
      await c.whenClosed();
    }
    // the dropped connections gave their places back
    expect(await connect(app.smtpPort).greeting()).toMatch(/^220 /u);
  });

  it('a sender trickling its DATA is cut off at the connection time limit and nothing is stored', async () => {
    app = await startEmailApp({ SMTP_MAX_CONNECTION_MS: '1000' });
    const slow = connect(app.smtpPort);
    expect(await slow.greeting()).toMatch(/^220 /u);
    slow.write('EHLO slow.test\r\n');
    await slow.reply('250');
    slow.write(`MAIL FROM:<slow@customer.test>\r\nRCPT TO:<${SUPPORT}>\r\nDATA\r\n`);
    await slow.reply('354');
    // one byte every 50 ms keeps the idle timeout from ever firing
    const body = rawMail({ from: 'slow@customer.test' }).toString();
    let i = 0;
    const trickle = setInterval(() => {
      if (!slow.closed) slow.write(body[i++ % body.length]!);
    }, 50);
    try {
      expect(await slow.reply('421', 10_000)).toMatch(/time limit/iu);
      await slow.whenClosed();
    } finally {
      clearInterval(trickle);
    }
    expect(await app.casesOf('slow@customer.test')).toEqual([]);
  });
});
