import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../gateway/config.ts';
import { ADMIN, startApp, type TestApp } from '../support/test-app.ts';

const HOOK_TOKEN = 'webhook-secret-for-tests';
let framable: TestApp;
let plain: TestApp;

beforeAll(async () => {
  framable = await startApp({ EMAIL_WEBHOOK_TOKEN: HOOK_TOKEN, CHAT_WIDGET_FRAME_ANCESTORS: 'https://shop.example.com, https://*.example.org http://127.0.0.1:8080/' });
  plain = await startApp();
});
afterAll(async () => {
  await framable?.close();
  await plain?.close();
});

/** The policy's directives by name, each with its sources. */
function csp(res: Response): Map<string, string[]> {
  const header = res.headers.get('content-security-policy');
  expect(header, 'a Content-Security-Policy header').toBeTruthy();
  const directives = new Map<string, string[]>();
  for (const part of header!.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

function expectCommonHeaders(res: Response) {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

function expectApiHeaders(res: Response) {
  expectCommonHeaders(res);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  const policy = csp(res);
  expect(policy.get('default-src')).toEqual(["'none'"]);
  expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
}

/** A page runs only scripts and styles of its own origin, never inline ones, and talks only to its origin. */
function expectStrictPagePolicy(res: Response): Map<string, string[]> {
  const policy = csp(res);
  expect(policy.get('script-src')).toEqual(["'self'"]);
  expect(policy.get('script-src-attr')).toEqual(["'none'"]);
  expect(policy.get('style-src')).toEqual(["'self'"]);
  expect(policy.get('connect-src')).toEqual(["'self'"]);
  expect(policy.get('base-uri')).toEqual(["'none'"]);
  expect(policy.get('default-src')).toEqual(["'none'"]);
  for (const sources of policy.values()) expect(sources).not.toContain("'unsafe-inline'");
  return policy;
}

function expectNoInlineCode(html: string) {
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  expect(html).not.toMatch(/<style/i);
  expect(html).not.toMatch(/\sstyle=/i);
  expect(html).not.toMatch(/\son[a-z]+=/i);
}

describe('security headers', () => {
  it('the console page may never be framed and runs only its own script and style files', async () => {
    const res = await fetch(`${framable.url}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expectCommonHeaders(res);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(expectStrictPagePolicy(res).get('frame-ancestors')).toEqual(["'none'"]);
    const html = await res.text();
    expectNoInlineCode(html);
    // the built workspace: a module script and a style sheet of its own, named by their content
    expect(html).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[\w-]+\.js"><\/script>/u);
    expect(html).toMatch(/<link rel="stylesheet" crossorigin href="\/console\/assets\/[\w-]+\.css">/u);
  });

  it('the workspace’s built files are served with their content type and kept for good (their names change with their content)', async () => {
    const html = await (await fetch(`${framable.url}/console/`)).text();
    const files = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/gu)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const path of files) {
      const res = await fetch(framable.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(path.endsWith('.js') ? /^(text|application)\/javascript/u : /^text\/css/u);
      expectCommonHeaders(res);
      expect(res.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      const plain = await res.arrayBuffer();
      // brotli for browsers that take it, a third of the size or less; the same file once decoded
      const br = await fetch(framable.url + path, { headers: { 'accept-encoding': 'br' } });
      expect(br.headers.get('content-encoding'), path).toBe('br');
      expect(br.headers.get('vary'), path).toMatch(/accept-encoding/iu);
      expect(br.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      expect(Number(br.headers.get('content-length')), path).toBeLessThan(plain.byteLength / 3);
      expect(Buffer.from(await br.arrayBuffer()).equals(Buffer.from(plain)), path).toBe(true);
    }
    for (const path of ['/console/assets/../../package.json', '/console/assets/%2e%2e/index.html', '/console/assets/missing.js', '/console/assets/.hidden']) {
      const res = await fetch(framable.url + path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe('NOT_FOUND');
    }
  });

  it('the widget page may be framed by its own origin and the origins in CHAT_WIDGET_FRAME_ANCESTORS only', async () => {
    const res = await fetch(`${framable.url}/chat/`);
    expect(res.status).toBe(200);
    expectCommonHeaders(res);
    expect(expectStrictPagePolicy(res).get('frame-ancestors')).toEqual(["'self'", 'https://shop.example.com', 'https://*.example.org', 'http://127.0.0.1:8080']);
    // X-Frame-Options cannot name other origins; browsers that know frame-ancestors ignore it anyway
    expect(res.headers.get('x-frame-options')).toBeNull();
    expectNoInlineCode(await res.text());

    const unset = await fetch(`${plain.url}/chat/`);
    expect(expectStrictPagePolicy(unset).get('frame-ancestors')).toEqual(["'self'"]);
    expect(unset.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('the widget’s script and style are served with their content type and may be cached briefly', async () => {
    for (const [path, type] of [
      ['/chat/widget.js', 'application/javascript; charset=utf-8'],
      ['/chat/widget.css', 'text/css; charset=utf-8'],
    ]) {
      const res = await fetch(framable.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
      expectCommonHeaders(res);
      expect(res.headers.get('cache-control'), path).toBe('public, max-age=300');
      expect((await res.text()).length, path).toBeGreaterThan(100);
    }
  });

  it('API answers are never stored and carry a policy that loads nothing', async () => {
    const ok = await fetch(`${framable.url}/api/v1/cases`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(ok.status).toBe(200);
    expectApiHeaders(ok);

    const refused = await fetch(`${framable.url}/api/v1/cases`);
    expect(refused.status).toBe(401);
    expectApiHeaders(refused);

    const session = await fetch(`${framable.url}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(session.status).toBe(201);
    expectApiHeaders(session);

    const missing = await fetch(`${framable.url}/no/such/route`);
    expect(missing.status).toBe(404);
    expectApiHeaders(missing);
  });

  it('a refused webhook carries the same headers', async () => {
    const res = await fetch(`${framable.url}/webhooks/email`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong', 'content-type': 'message/rfc822' },
      body: 'Subject: hi\r\n\r\nhello\r\n',
    });
    expect(res.status).toBe(401);
    expectApiHeaders(res);
  });

  it('CHAT_WIDGET_FRAME_ANCESTORS accepts origins only', () => {
    for (const bad of ['shop.example.com', 'https://shop.example.com/embed', "'unsafe-inline'", '*', 'javascript:alert(1)']) {
      expect(() => loadConfig({ CHAT_WIDGET_FRAME_ANCESTORS: bad }), bad).toThrow(/CHAT_WIDGET_FRAME_ANCESTORS/);
    }
  });
});
