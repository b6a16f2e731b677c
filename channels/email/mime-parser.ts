/**
 * Raw MIME → ParsedEmail, off the main thread. mailparser can spend seconds on huge text parts or
 * deep HTML, so parsing runs in a small worker pool with a per-message timeout: a slow message kills
 * its own worker and never stalls the others. Size and part count are checked before any parsing.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { HTML_QUOTE_SELECTORS } from './html-quote.ts';
import { EmailInboundError } from './email.errors.ts';
import { PARSER_WORKER_SOURCE } from './mime-parser.worker-source.ts';

export interface ParsedAddress {
  address: string;
  name: string;
}

export interface ParsedAttachment {
  filename?: string;
  contentType: string;
  size: number;
  content: Uint8Array;
  contentId?: string;
  inline: boolean;
}

export interface ParsedEmail {
  /** lower-cased header name → unfolded raw values, in message order */
  headers: Record<string, string[]>;
  subject?: string;
  from: ParsedAddress[];
  replyTo: ParsedAddress[];
  to: ParsedAddress[];
  cc: ParsedAddress[];
  messageId?: string;
  date?: string;
  text: string;
  /** where the quoted history starts in `text`, for text converted from HTML with a quote container */
  quoteAt?: number;
  html?: string;
  contentType: string;
  reportType?: string;
  attachments: ParsedAttachment[];
}

export interface MimeParserOptions {
  maxBytes: number;
  maxParts: number;
  timeoutMs: number;
  maxHtmlLength: number;
  workers: number;
  /** heap cap per worker, so a message that explodes in memory kills a worker, not the gateway */
  workerHeapMb?: number;
}

/** Refuses what must not reach the parser: empty, oversized, or too many parts. */
export function precheckRaw(raw: Buffer, opts: Pick<MimeParserOptions, 'maxBytes' | 'maxParts'>): void {
  if (raw.length > opts.maxBytes) throw new EmailInboundError('MESSAGE_TOO_LARGE', `${raw.length} bytes`);
  const text = raw.toString('latin1');
  if (!/\S/u.test(text)) throw new EmailInboundError('EMPTY_MESSAGE');
  // every MIME part has at most one Content-Type line; counting them bounds the parser's work
  const contentTypes = /^content-type[ \t]*:/gimu;
  let parts = 0;
  while (contentTypes.exec(text) && parts <= opts.maxParts) parts++;
  if (parts > opts.maxParts) throw new EmailInboundError('TOO_MANY_PARTS', `more than ${opts.maxParts}`);
}

type Task = {
  id: number;
  raw: Buffer;
  resolve: (p: ParsedEmail) => void;
  reject: (e: Error) => void;
};

type Slot = { worker: Worker; task?: Task; timer?: NodeJS.Timeout };

export class MimeParserPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  private readonly mailparserPath = createRequire(import.meta.url).resolve('mailparser');
  private readonly htmlToTextPath = createRequire(import.meta.url).resolve('html-to-text');

  constructor(private readonly opts: MimeParserOptions) {}

  async parse(raw: Buffer): Promise<ParsedEmail> {
    precheckRaw(raw, this.opts);
    if (this.closed) throw new EmailInboundError('INGEST_FAILED', 'parser is shut down');
    return new Promise<ParsedEmail>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, raw, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new EmailInboundError('INGEST_FAILED', 'parser is shut down'));
    await Promise.all(this.slots.splice(0).map((s) => this.retire(s, new EmailInboundError('INGEST_FAILED', 'parser is shut down'))));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.task);
      if (!slot) {
        if (this.slots.length >= this.opts.workers) return;
        slot = this.spawn();
      }
      this.run(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(PARSER_WORKER_SOURCE, {
      eval: true,
      workerData: { mailparserPath: this.mailparserPath, htmlToTextPath: this.htmlToTextPath, quoteSelectors: HTML_QUOTE_SELECTORS },
      resourceLimits: { maxOldGenerationSizeMb: this.opts.workerHeapMb ?? 512 },
    });
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (msg: { id: number; ok: boolean; result?: ParsedEmail; error?: string }) => {
      const task = slot.task;
      if (!task || task.id !== msg.id) return;
      this.finish(slot);
      if (msg.ok && msg.result) task.resolve(msg.result);
      else task.reject(new EmailInboundError('UNPARSEABLE_MESSAGE', msg.error));
      this.pump();
    });
    // a crash (out of memory, uncaught parser error) loses only this worker and its one message
    const fail = (why: string) => {
      void this.retire(slot, new EmailInboundError('UNPARSEABLE_MESSAGE', why));
      this.pump();
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`parser worker exited (${code})`));
    this.slots.push(slot);
    return slot;
  }

  private run(slot: Slot, task: Task): void {
    slot.task = task;
    slot.timer = setTimeout(() => {
      void this.retire(slot, new EmailInboundError('PARSE_TIMEOUT', `${this.opts.timeoutMs} ms`));
      this.pump();
    }, this.opts.timeoutMs);
    slot.worker.ref();
    slot.worker.postMessage({
      id: task.id,
      raw: task.raw,
      options: {
        skipTextToHtml: true,
        skipImageLinks: true,
        keepDeliveryStatus: true,
        maxHtmlLengthToParse: this.opts.maxHtmlLength,
      },
    });
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.task = undefined;
    slot.worker.unref();
  }

  private async retire(slot: Slot, reason: Error): Promise<void> {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    const task = slot.task;
    this.finish(slot);
    task?.reject(reason);
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    await slot.worker.terminate();
  }
}
