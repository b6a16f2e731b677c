import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ADMIN, ChatClient, startApp, type TestApp } from '../support/test-app.ts';
import { redactUrl } from '../../gateway/logging.ts';

const HOOK_TOKEN = 'email-hook-secret-0123456789';

describe('no secret reaches a log line', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    // debug: the most a log can say
    t = await startApp({ EMAIL_WEBHOOK_TOKEN: HOOK_TOKEN }, { logger: { level: 'debug', stream } });
  });
  afterAll(() => t.close());

  it('tokens in URLs and headers of every kind of request are left out, while the requests are still logged', async () => {
    const secrets = [ADMIN, HOOK_TOKEN];
    const visitor = await ChatClient.open(t.url);
    secrets.push(visitor.session.token);
    visitor.send({ type: 'message', id: 'm1', text: 'hello' });
    await visitor.waitFor((f) => f.type === 'ack');
    await visitor.close();

    const agent = await t.api('POST', '/api/v1/agents', { name: 'Log Agent', email: 'log.agent@support.test' });
    secrets.push(agent.body.token);
    // the invitation's token, its password and the session cookie it gives
    const invite = agent.body.invite.url.split('#/invite/')[1];
    secrets.push(invite);
    expect((await fetch(`${t.url}/auth/invitations/${invite}`)).status).toBe(200);
    const password = 'a password nobody logs';
    secrets.push(password);
    const set = await fetch(`${t.url}/auth/invitations/${invite}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
    const cookie = /sb_session=([^;]+)/u.exec(set.headers.get('set-cookie') ?? '')![1]!;
    secrets.push(cookie);
    expect((await fetch(`${t.url}/api/v1/me`, { headers: { cookie: `sb_session=${cookie}` } })).status).toBe(200);
    const stream = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/stream?access_token=${agent.body.token}`);
    await new Promise((resolve, reject) => {
      stream.once('message', resolve);
      stream.once('error', reject);
    });
    stream.close();

    // a file link's secret: it opens the file for anyone who has it
    const mediaSecret = 'aMediaLinkSecretNobodyLogs';
    secrets.push(mediaSecret);
    expect((await fetch(`${t.url}/media/nope/0/${mediaSecret}/file.pdf`)).status).toBe(404);
    await fetch(`${t.url}/api/v1/cases?q=x&access_token=${ADMIN}`);
    await fetch(`${t.url}/webhooks/email`, { method: 'POST', headers: { authorization: `Bearer ${HOOK_TOKEN}`, 'content-type': 'message/rfc822' }, body: 'From: a@example.com\r\n\r\nhi' });
    const wrong = 'sb_wrong_guess_token_value';
    secrets.push(wrong);
    await t.api('GET', '/api/v1/cases', undefined, wrong);
    // a malformed body quoting a secret: the parse error's message would repeat it
    const quoted = 'xoxb-secret-in-a-broken-body';
    secrets.push(quoted);
    const broken = await t.api('POST', '/api/v1/queues', `{"name": ${quoted}}`);
    expect(broken.body.error).toEqual({ code: 'INVALID_JSON', message: 'the body is not valid JSON' });

    const all = lines.join('');
    expect(all).toContain('/chat/ws?token=~');
    expect(all).toContain('/api/v1/stream?access_token=~');
    expect(all).toContain('/api/v1/cases?q=~&access_token=~');
    expect(all).toContain('/auth/invitations/~');
    expect(all).toContain('/media/nope/0/~/file.pdf');
    for (const secret of secrets) expect(all).not.toContain(secret);
  });

  it('an object logged with a token or an authorization header has them censored', () => {
    t.app.log.warn({ token: 'plain-token-value', headers: { authorization: 'Bearer abc-secret', 'x-twilio-signature': 'sig-value' }, detail: { secret: 'nested-secret' } }, 'probe');
    const probe = lines.find((l) => l.includes('"probe"'))!;
    expect(probe).toBeDefined();
    for (const secret of ['plain-token-value', 'abc-secret', 'sig-value', 'nested-secret']) expect(probe).not.toContain(secret);
    expect(probe).toContain('[redacted]');
  });
});

describe('redactUrl', () => {
  it('keeps the path and the parameter names, never a value', () => {
    expect(redactUrl('/chat/ws?token=abc')).toBe('/chat/ws?token=~');
    expect(redactUrl('/api/v1/cases')).toBe('/api/v1/cases');
    expect(redactUrl('/x?a=1&&b&c=%20')).toBe('/x?a=~&b=~&c=~');
    expect(redactUrl('/x?')).toBe('/x?');
  });
});
