import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { StatsService } from './stats.service.ts';

/**
 * Statistics pushed to the agent streams that asked for them (`?stats=true`), for wallboards: one
 * `stats` frame every interval with the queues, and the agents for supervisors. Worked out once per
 * interval whatever the number of watchers, and only while someone watches.
 */
export class StatsPush {
  private readonly watchers = new Map<WebSocket, { agents: boolean }>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private readonly deps: { stats: StatsService; intervalMs: number; log: FastifyBaseLogger }) {}

  add(socket: WebSocket, opts: { agents: boolean }): void {
    this.watchers.set(socket, opts);
    socket.on('close', () => {
      this.watchers.delete(socket);
      if (this.watchers.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    });
    void this.push();
    if (!this.timer) {
      this.timer = setInterval(() => void this.push(), this.deps.intervalMs);
      this.timer.unref();
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.watchers.clear();
  }

  private async push(): Promise<void> {
    // a slow database must not stack up passes
    if (this.busy || this.watchers.size === 0) return;
    this.busy = true;
    try {
      const queues = await this.deps.stats.queues();
      const agents = [...this.watchers.values()].some((w) => w.agents) ? await this.deps.stats.agents() : null;
      const plain = JSON.stringify({ type: 'stats', at: queues.at, queues: queues.items });
      const full = agents ? JSON.stringify({ type: 'stats', at: queues.at, queues: queues.items, agents: agents.items }) : plain;
      for (const [socket, w] of this.watchers) if (socket.readyState === socket.OPEN) socket.send(w.agents ? full : plain);
    } catch (err) {
      this.deps.log.error({ err }, 'statistics could not be worked out for the wallboards; the next interval tries again');
    } finally {
      this.busy = false;
    }
  }
}
