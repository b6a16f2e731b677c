/** Versions and audit entries name their author by agent id ("token:…" for API tokens): shown as people's names. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../../api-client.ts';

export type NameOf = (author: string) => string;

export function useAgentNames(): NameOf {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    api.agents().then((a) => setNames(new Map(a.items.map((x) => [x.id, x.name]))), () => undefined);
  }, []);
  return useCallback((author: string) => {
    if (author === 'system') return 'Switchboard (defaults)';
    if (author.startsWith('token:')) return `API token ${author.slice('token:'.length)}`;
    return names.get(author) ?? author;
  }, [names]);
}
