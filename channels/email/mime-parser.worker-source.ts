/**
 * The parser worker's source. It runs as an eval'd CommonJS worker so it works the same under tsx,
 * vitest and plain node; it calls mailparser, flattens the result to cloneable data, and converts an
 * HTML-only body to text itself (with html-to-text, as mailparser would) so that it can say where the
 * first quote container (`workerData.quoteSelectors`) begins: `quoteAt`, an offset into `text`.
 */
export const PARSER_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { simpleParser } = require(workerData.mailparserPath);
const { htmlToText } = require(workerData.htmlToTextPath);
const { randomBytes } = require('node:crypto');

// a mark no sender can write, since they cannot know it
const MARK = '\u2063' + randomBytes(12).toString('hex') + '\u2063';
const MAX_DEPTH = 1000;
// what html-to-text writes where its limits cut markup: seen in the text, the conversion failed
const CUT = '\u2063' + randomBytes(12).toString('hex') + '\u2064';
function quoteLines(str) {
  return str.replace(/^\n+|\n+$/g, '').split('\n').map((line) => '> ' + line).join('\n');
}
// a quote container: marked at its start and converted as it would be (blockquotes with "> " lines)
function quoteStart(elem, walk, builder) {
  const cite = elem.name === 'blockquote';
  builder.openBlock({ leadingLineBreaks: cite ? 2 : 1, reservedLineLength: cite ? 2 : 0 });
  builder.addLiteral(MARK);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: cite ? 2 : 1, blockTransform: cite ? quoteLines : undefined });
}
const CONVERT = {
  wordwrap: false,
  limits: { maxDepth: MAX_DEPTH, ellipsis: CUT },
  formatters: { quoteStart },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ...workerData.quoteSelectors.map((selector) => ({ selector, format: 'quoteStart' })),
  ],
};

// empty paragraphs and <div><br></div> spacers add up to runs of blank lines: one is enough
function oneBlankLine(text) {
  return text.replace(/\n{3,}/g, '\n\n');
}

// elements that hold nothing
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
// elements the HTML parser closes by itself when another of their kind opens (<p>, <li>, <td>)
const IMPLIED_END = new Set(['p', 'li', 'dt', 'dd', 'option', 'tr', 'td', 'th']);
const TAG = /<(\/?)([a-zA-Z][\w:-]*)/y;
// html-to-text spends seconds on markup nested thousands deep (12 s for 200,000 <div>s) before its own
// depth limit helps; mailparser guards its conversion the same way. One linear pass that follows what the
// parser builds: a closing tag closes down to the nearest open element of its name and is ignored
// otherwise; attribute values and comments are skipped.
function nestedDeeperThan(html, max) {
  const stack = [];
  const open = new Map();
  let i = html.indexOf('<');
  while (i >= 0) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      if (end < 0) return false;
      i = html.indexOf('<', end + 3);
      continue;
    }
    TAG.lastIndex = i;
    const m = TAG.exec(html);
    if (!m) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    const name = m[2].toLowerCase();
    if (m[1]) {
      if (open.get(name)) {
        let top;
        do {
          top = stack.pop();
          open.set(top, open.get(top) - 1);
        } while (top !== name);
      }
    } else if (!VOID.has(name)) {
      if (IMPLIED_END.has(name) && stack[stack.length - 1] === name) stack.pop(), open.set(name, open.get(name) - 1);
      stack.push(name);
      open.set(name, (open.get(name) || 0) + 1);
      if (stack.length > max) return true;
    }
    // to the end of the tag, past quoted attribute values
    let j = TAG.lastIndex;
    let quote = '';
    for (; j < html.length; j++) {
      const c = html[j];
      if (quote) { if (c === quote) quote = ''; }
      else if (c === '"' || c === "'") quote = c;
      else if (c === '>') break;
    }
    i = html.indexOf('<', j);
  }
  return false;
}

function convertHtml(html, maxLength) {
  if (html.length > maxLength || nestedDeeperThan(html, MAX_DEPTH)) return { text: '' };
  let text;
  try {
    text = htmlToText(html, CONVERT);
    if (text.includes(CUT)) return { text: '' };
  } catch {
    // unconvertible markup is no reason to lose the mail: the gateway's own plain conversion takes over
    return { text: '' };
  }
  const at = text.indexOf(MARK);
  if (at < 0) return { text: oneBlankLine(text) };
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const head = oneBlankLine(text.slice(0, lineStart));
  return { text: head + oneBlankLine(text.slice(lineStart).split(MARK).join('')).replace(/^\n+/, ''), quoteAt: head.length };
}

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
    const mail = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), { ...options, skipHtmlToText: true });
    const plain = typeof mail.text === 'string' ? mail.text : '';
    const converted = plain.trim() === '' && typeof mail.html === 'string' ? convertHtml(mail.html, options.maxHtmlLengthToParse) : { text: plain };
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
        text: converted.text,
        quoteAt: converted.quoteAt,
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
