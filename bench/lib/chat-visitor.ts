/**
 * A web chat visitor as the widget is: a session over HTTP, then one WebSocket that sends messages and
 * receives answers. Light enough to hold a thousand of them in the benchmark process.
 */
import { WebSocket } from 'ws';
import { conversationKeyOf } from '../../channels/chat/chat.channel.ts';

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class ChatVisitor {
  /** ms from sending each message to its ack (stored durably) */
  readonly ackMs: number[] = [];
  /** Date.now() at which each answer text arrived */
  readonly answers = new Map<string, number>();
  private readonly acks = new Map<string, { sent: number } & Pending>();
  private seq = 0;

  private constructor(
    readonly sessionId: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data) => this.onFrame(data.toString()));
    ws.on('close', () => {
      for (const p of this.acks.values()) p.reject(new Error('chat socket closed'));
      this.acks.clear();
    });
  }

  static async open(base: string, name: string): Promise<ChatVisitor> {
    const res = await fetch(`${base}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    if (res.status !== 201) throw new Error(`POST /chat/sessions: ${res.status} ${await res.text()}`);
    const session = (await res.json()) as { sessionId: string; token: string };
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/chat/ws?token=${session.token}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new ChatVisitor(session.sessionId, ws);
  }

  get conversationKey(): string {
    return conversationKeyOf(this.sessionId);
  }

  /** Sends one message and resolves once the server acknowledged it as stored. */
  send(text: string): Promise<void> {
    const id = `m${++this.seq}`;
    return new Promise<void>((resolve, reject) => {
      this.acks.set(id, { sent: performance.now(), resolve, reject });
      this.ws.send(JSON.stringify({ type: 'message', id, text }));
    });
  }

  close(): void {
    this.ws.close();
  }

  private onFrame(raw: string): void {
    const frame = JSON.parse(raw) as { type: string; id?: string; text?: string; direction?: string; error?: { code: string; message: string } };
    if (frame.type === 'ack' && frame.id) {
      const p = this.acks.get(frame.id);
      if (!p) return;
      this.acks.delete(frame.id);
      this.ackMs.push(performance.now() - p.sent);
      p.resolve();
    } else if (frame.type === 'message' && frame.direction === 'outbound' && frame.text !== undefined) {
      this.answers.set(frame.text, Date.now());
    } else if (frame.type === 'error' && frame.id) {
      const p = this.acks.get(frame.id);
      this.acks.delete(frame.id);
      p?.reject(new Error(`chat message refused: ${frame.error?.code} ${frame.error?.message}`));
    }
  }
}

/** Opens `count` visitors, a few at a time (session creation is a write on the server). */
export async function openVisitors(base: string, count: number, parallel = 16): Promise<ChatVisitor[]> {
  const visitors: ChatVisitor[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const i = next++;
        visitors[i] = await ChatVisitor.open(base, `Visitor ${i + 1}`);
      }
    }),
  );
  return visitors;
}
