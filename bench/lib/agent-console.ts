/**
 * An agent's console as the browser holds it: one WebSocket on /api/v1/stream (the token as
 * `access_token`, as a browser must pass it) that reads every frame, so the server pushes to a real
 * consumer and pays for serialising and sending each event.
 */
import { WebSocket } from 'ws';
import { sleep } from './stats.ts';

export class AgentConsole {
  /** frames received, the hello included */
  frames = 0;
  readonly byType: Record<string, number> = {};
  /** performance.now() at which each inbound message's interaction.added frame arrived, by its text */
  readonly seenAt = new Map<string, number>();
  /** set when the server closed the stream (1013 = the console read too slowly) */
  closedWith: { code: number; reason: string } | null = null;
  private lastFrameAt = performance.now();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.onFrame(data.toString()));
    ws.on('close', (code, reason) => {
      this.closedWith = { code, reason: reason.toString() };
    });
  }

  static async open(base: string, token: string): Promise<AgentConsole> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/stream?access_token=${encodeURIComponent(token)}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new AgentConsole(ws);
  }

  /**
   * Resolves once no frame has come for `quietMs` (the stream has caught up with the store), or after
   * `maxMs`; the stream is fed after each commit, so it may still be sending when the pipeline is done.
   */
  async settled(quietMs = 500, maxMs = 60_000): Promise<void> {
    const deadline = performance.now() + maxMs;
    while (performance.now() - this.lastFrameAt < quietMs && performance.now() < deadline) await sleep(50);
  }

  close(): void {
    this.ws.close();
  }

  private onFrame(raw: string): void {
    this.frames++;
    this.lastFrameAt = performance.now();
    const frame = JSON.parse(raw) as { type: string; interaction?: { direction: string; text: string } };
    this.byType[frame.type] = (this.byType[frame.type] ?? 0) + 1;
    if (frame.type === 'interaction.added' && frame.interaction?.direction === 'inbound') this.seenAt.set(frame.interaction.text, this.lastFrameAt);
  }
}
