/** Agents (to show names instead of ids) and queues (for filters, moves and offer timeouts). */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { api } from './api-client.ts';
import type { Agent, Queue } from './types.ts';

export interface Directory {
  agents: Agent[];
  queues: Queue[];
  agentName(id: string | null | undefined): string;
  reload(): void;
}

export function useDirectory(): Directory {
  const [agents, setAgents] = useState<Agent[]>([]);
  const [queues, setQueues] = useState<Queue[]>([]);

  const reload = useCallback(() => {
    api.agents().then((r) => setAgents([...r.items].sort((a, b) => a.name.localeCompare(b.name))), () => undefined);
    api.queues().then((r) => setQueues([...r.items].sort((a, b) => a.name.localeCompare(b.name))), () => undefined);
  }, []);
  useEffect(reload, [reload]);

  const names = useMemo(() => new Map(agents.map((a) => [a.id, a.name])), [agents]);
  const agentName = useCallback((id: string | null | undefined) => (id ? (names.get(id) ?? 'Unknown agent') : 'Unassigned'), [names]);

  return { agents, queues, agentName, reload };
}
