/** The top bar: who is signed in, their presence, the stream's state, canned responses, and signing out. */
import { useState } from 'preact/hooks';
import { api, errorMessage } from './api-client.ts';
import type { StreamStatus } from './use-stream.ts';
import { PRESENCES, type Agent, type Presence, type Role } from './types.ts';

export const PRESENCE_LABELS: Record<Presence, string> = { online: 'Online', busy: 'Busy', break: 'On a break', away: 'Away', offline: 'Offline' };
const ROLE_LABELS: Record<Role, string> = { agent: 'Agent', supervisor: 'Supervisor', admin: 'Admin' };
const STREAM_LABELS: Record<StreamStatus, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

interface Props {
  agent: Agent;
  role: Role;
  stream: StreamStatus;
  onAgent(a: Agent): void;
  onSignOut(everywhere: boolean): void;
  onError(message: string | null): void;
  /** null: the gateway has no canned responses */
  onCanned: (() => void) | null;
  onHelp(): void;
}

/** sets the agent's presence at once, and puts it back when the gateway refuses */
export async function changePresence(agent: Agent, p: Presence, onAgent: (a: Agent) => void, onError: (m: string | null) => void): Promise<void> {
  const before = agent.presence;
  onAgent({ ...agent, presence: p });
  try {
    const updated = await api.setPresence(agent.id, p);
    if (updated && typeof updated === 'object' && 'presence' in updated) onAgent({ ...agent, ...updated });
    onError(null);
  } catch (e) {
    onAgent({ ...agent, presence: before });
    onError(`Presence not changed: ${errorMessage(e)}`);
  }
}

export function WorkspaceHeader({ agent, role, stream, onAgent, onSignOut, onError, onCanned, onHelp }: Props) {
  const [busy, setBusy] = useState(false);

  async function setPresence(p: Presence) {
    setBusy(true);
    try { await changePresence(agent, p, onAgent, onError); } finally { setBusy(false); }
  }

  return (
    <header class="topbar">
      <span class="brand">Switchboard</span>
      <span class={`live live-${stream}`} role="status" aria-live="polite">
        <span class="live-dot" aria-hidden="true" />
        {STREAM_LABELS[stream]}
      </span>
      <span class="spacer" />
      <span class="who">
        <span class="who-name">{agent.name}</span>
        <span class="who-role">{ROLE_LABELS[role] ?? role}</span>
      </span>
      <span class="presence">
        <label class="presence-label" for="presence-select">Presence</label>
        <select id="presence-select" class={`presence-${agent.presence}`} value={agent.presence} disabled={busy} onChange={(e) => void setPresence(e.currentTarget.value as Presence)}>
          {PRESENCES.map((p) => <option key={p} value={p}>{PRESENCE_LABELS[p]}</option>)}
        </select>
      </span>
      {agent.presence === 'away' && agent.presenceReason && <span class="presence-reason">{agent.presenceReason}</span>}
      {onCanned && <button type="button" class="btn ghost" aria-haspopup="dialog" onClick={onCanned}>Canned responses</button>}
      {role !== 'agent' && <a class="btn ghost" href="#/admin">Administration</a>}
      <button type="button" class="btn ghost small" aria-haspopup="dialog" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={onHelp}>?</button>
      <button type="button" class="btn ghost" onClick={() => onSignOut(false)}>Sign out</button>
      <button type="button" class="btn ghost small" onClick={() => onSignOut(true)} title="End every session of yours, on all devices">Sign out everywhere</button>
    </header>
  );
}
