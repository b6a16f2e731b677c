/**
 * The parser worker's source. It runs as an eval'd CommonJS worker so it works the same under tsx,
 * vitest and plain node; it only calls mailparser and flattens the result to cloneable data.
 */
export const PARSER_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { simpleParser } = require(workerData.mailparserPath);

function addresses(header) {
  const out = [];
  const walk = (list) => {
    for (const a of list || []) {
      if (a && a.group) walk(a.group);
      else if (a && a.address) out.push({ address: String(a.address), name: String(a.name || '') });
    }
  };
  for (const h of Array.isArray(header) ? header : header ? [header] : []) walk(h.value);
  return out;
}

function rawHeaders(lines) {
  const headers = {};
  for (const h of lines || []) {
    const at = h.line.indexOf(':');
    const value = at < 0 ? '' : h.line.slice(at + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    (headers[h.key] = headers[h.key] || []).push(value);
  }
  return headers;
}

parentPort.on('message', async ({ id, raw, options }) => {
  try {
    const mail = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), options);
    const ct = mail.headers.get('content-type');
    const date = mail.date instanceof Date && !isNaN(mail.date.getTime()) ? mail.date.toISOString() : undefined;
    parentPort.postMessage({
      id,
      ok: true,
      result: {
        headers: rawHeaders(mail.headerLines),
        subject: typeof mail.subject === 'string' ? mail.subject : undefined,
        from: addresses(mail.from),
        replyTo: addresses(mail.replyTo),
        to: addresses(mail.to),
        cc: addresses(mail.cc),
        messageId: typeof mail.messageId === 'string' ? mail.messageId : undefined,
        date,
        text: typeof mail.text === 'string' ? mail.text : '',
        html: typeof mail.html === 'string' ? mail.html : undefined,
        contentType: ct && typeof ct === 'object' && ct.value ? String(ct.value) : 'text/plain',
        reportType: ct && ct.params && ct.params['report-type'] ? String(ct.params['report-type']) : undefined,
        attachments: (mail.attachments || []).map((a) => ({
          filename: a.filename || undefined,
          contentType: String(a.contentType || 'application/octet-stream'),
          size: a.size || (a.content ? a.content.length : 0),
          content: a.content ? new Uint8Array(a.content) : new Uint8Array(0),
          contentId: a.contentId || undefined,
          inline: a.contentDisposition === 'inline' || !!a.related,
        })),
      },
    });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: String((err && err.message) || err) });
  }
});
`;
