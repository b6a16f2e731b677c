/**
 * The floor as it is now: the agent stream with `?stats=true` pushes a stats frame every STATS_PUSH_SECONDS;
 * while that socket is down (or refused) GET /api/v1/stats/* is asked every 5 s instead.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { teamApi } from './team-api.ts';
import type { AgentStats, QueueStats } from './team-types.ts';

export interface LiveStats {
  at: string | null;
  queues: QueueStats[];
  /** null: not loaded yet (or the role does not see them) */
  agents: AgentStats[] | null;
  live: boolean;
  error: string | null;
}

const POLL_MS = 5_000;

interface StatsFrame {
  type: 'stats';
  at: string;
  queues: QueueStats[];
  agents?: AgentStats[];
}

export function useLiveStats(): LiveStats {
  const [stats, setStats] = useState<LiveStats>({ at: null, queues: [], agents: null, live: false, error: null });

  useEffect(() => {
    let stopped = false;
    let socket: WebSocket | null = null;
    let live = false;
    let retry = 0;
    let reconnect: ReturnType<typeof setTimeout> | null = null;

    async function poll() {
      try {
        const [queues, agents] = await Promise.all([teamApi.queueStats(), teamApi.agentStats()]);
        if (!stopped && !live) setStats({ at: queues.at, queues: queues.items, agents: agents.items, live: false, error: null });
      } catch (e) {
        if (!stopped && !live) setStats((s) => ({ ...s, live: false, error: errorMessage(e) }));
      }
    }

    function connect() {
      if (stopped) return;
      const url = new URL('/api/v1/stream', location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.hash = '';
      url.search = '?stats=true';
      const ws = new WebSocket(url);
      socket = ws;
      ws.onmessage = (ev: MessageEvent) => {
        let frame: StatsFrame;
        try { frame = JSON.parse(String(ev.data)) as StatsFrame; } catch { return; }
        if (frame.type !== 'stats') return;
        live = true;
        retry = 0;
        setStats((s) => ({ at: frame.at, queues: frame.queues, agents: frame.agents ?? s.agents, live: true, error: null }));
      };
      ws.onclose = (ev: CloseEvent) => {
        live = false;
        setStats((s) => ({ ...s, live: false }));
        // 4401: the session ended; the next poll's 401 signs the page out
        if (stopped || ev.code === 4401) return;
        reconnect = setTimeout(connect, Math.min(30_000, 1_000 * 2 ** retry++));
      };
    }

    void poll();
    connect();
    const timer = setInterval(() => { if (!live) void poll(); }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      if (reconnect) clearTimeout(reconnect);
      socket?.close(1000, 'page closed');
    };
  }, []);

  return stats;
}
