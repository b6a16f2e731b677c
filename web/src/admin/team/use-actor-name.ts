/** Audit entries and versions name their author by agent id ("token:<id>" for a token of no session): shown by name. */
import { teamApi } from './team-api.ts';
import { useLoad } from './use-load.ts';

export function useActorName(): (actor: string) => string {
  const agents = useLoad(() => teamApi.agents());
  return (actor: string) => {
    if (actor === 'system') return 'Switchboard';
    if (actor.startsWith('token:')) return `API token ${actor.slice(6, 14)}…`;
    return agents.data?.items.find((a) => a.id === actor)?.name ?? actor;
  };
}
