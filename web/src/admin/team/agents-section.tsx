/** The agents: who works which queues, and (admins) their invitations, sessions and whether they may work at all. */
import { useState } from 'preact/hooks';
import { errorMessage } from '../../api-client.ts';
import { AgentCreatedDialog, InviteDialog } from './agent-created.tsx';
import { AgentForm } from './agent-form.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { presenceDetail } from './presence-label.ts';
import { teamApi } from './team-api.ts';
import type { AgentCreated, AgentDetail, Invite } from './team-types.ts';
import { useLoad } from './use-load.ts';

type Dialog =
  | { kind: 'new' }
  | { kind: 'edit' | 'signout' | 'deactivate' | 'reactivate'; agent: AgentDetail }
  | { kind: 'created'; agent: AgentCreated }
  | { kind: 'invite'; agent: AgentDetail; invite: Invite };

const ROLE_NAMES: Record<string, string> = { agent: 'Agent', supervisor: 'Supervisor', admin: 'Admin' };

function capacityText(c: AgentDetail['capacity']): string {
  return typeof c === 'number' ? String(c) : Object.entries(c).map(([ch, n]) => `${ch} ${n}`).join(', ') || '0';
}

interface Props {
  readOnly: boolean;
  /** the signed-in agent: no deactivating oneself */
  selfId: string;
  /** changes when the queues changed */
  queuesVersion: number;
}

export function AgentsSection({ readOnly, selfId, queuesVersion }: Props) {
  const agents = useLoad(() => teamApi.agents());
  const queues = useLoad(() => teamApi.queues(), [queuesVersion]);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const close = () => setDialog(null);

  async function invite(agent: AgentDetail) {
    setFailure(null);
    try {
      setDialog({ kind: 'invite', agent, invite: await teamApi.invite(agent.id) });
    } catch (e) {
      setFailure(`${agent.name} could not be invited: ${errorMessage(e)}`);
    }
  }

  return (
    <section class="admin-section" aria-labelledby="agents-title">
      <div class="section-head">
        <h2 id="agents-title">Agents</h2>
        {!readOnly && <button type="button" class="btn primary" onClick={() => setDialog({ kind: 'new' })}>New agent</button>}
      </div>
      <p class="notice" role="status">{notice}</p>
      {failure && <p class="form-error" role="alert">{failure}</p>}
      {agents.error && <p class="form-error" role="alert">The agents could not be loaded: {agents.error}</p>}
      <table class="admin-table stack">
        <caption class="visually-hidden">Agents</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th><th scope="col">Role</th><th scope="col">Queues</th><th scope="col">Skills</th><th scope="col">Capacity</th>
            <th scope="col">Presence</th>{!readOnly && <th scope="col"><span class="visually-hidden">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {(agents.data?.items ?? []).map((a) => {
            const active = a.active !== false;
            return (
              <tr key={a.id} class={active ? undefined : 'inactive'}>
                <th scope="row" data-label="Agent">
                  <span class="agent-name">{a.name}</span>
                  {a.email && <span class="agent-email">{a.email}</span>}
                  {!active && <span class="badge deactivated">Deactivated</span>}
                </th>
                <td data-label="Role">{ROLE_NAMES[a.role] ?? a.role}</td>
                <td data-label="Queues">{a.queues.join(', ') || '—'}</td>
                <td data-label="Skills">{a.skills.map((s) => `${s} ${a.skillLevels[s.toLowerCase()] ?? 3}`).join(', ') || '—'}</td>
                <td data-label="Capacity">{capacityText(a.capacity)}</td>
                <td data-label="Presence">{presenceDetail(a)}</td>
                {!readOnly && (
                  <td data-label="Actions">
                    <div class="row-actions">
                      <button type="button" class="btn small" onClick={() => setDialog({ kind: 'edit', agent: a })}>Edit<span class="visually-hidden"> {a.name}</span></button>
                      {active ? (
                        <>
                          <button type="button" class="btn small" onClick={() => void invite(a)}>Invite<span class="visually-hidden"> {a.name}</span></button>
                          <button type="button" class="btn small" onClick={() => setDialog({ kind: 'signout', agent: a })}>Sign out everywhere<span class="visually-hidden"> {a.name}</span></button>
                          {a.id !== selfId && (
                            <button type="button" class="btn small danger-outline" onClick={() => setDialog({ kind: 'deactivate', agent: a })}>Deactivate<span class="visually-hidden"> {a.name}</span></button>
                          )}
                        </>
                      ) : (
                        <button type="button" class="btn small" onClick={() => setDialog({ kind: 'reactivate', agent: a })}>Reactivate<span class="visually-hidden"> {a.name}</span></button>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>

      {(dialog?.kind === 'new' || dialog?.kind === 'edit') && (
        <AgentForm
          agent={dialog.kind === 'edit' ? dialog.agent : null}
          queueNames={(queues.data?.items ?? []).map((q) => q.name)}
          onClose={close}
          onSaved={(a) => {
            agents.reload();
            setNotice(`${a.name} saved.`);
            setDialog('token' in a ? { kind: 'created', agent: a } : null);
          }}
        />
      )}
      {dialog?.kind === 'created' && <AgentCreatedDialog agent={dialog.agent} onClose={close} />}
      {dialog?.kind === 'invite' && <InviteDialog invite={dialog.invite} name={dialog.agent.name} onClose={close} />}
      {dialog?.kind === 'signout' && (
        <ConfirmDialog title={`Sign ${dialog.agent.name} out everywhere?`} confirm="Sign out everywhere" onClose={close}
          onConfirm={async () => { await teamApi.signOutEverywhere(dialog.agent.id); setNotice(`${dialog.agent.name} was signed out everywhere.`); }}>
          <p>Every session of theirs ends and their open workspaces close. They can sign in again.</p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'deactivate' && (
        <ConfirmDialog title={`Deactivate ${dialog.agent.name}?`} confirm={`Deactivate ${dialog.agent.name}`} onClose={close}
          onConfirm={async () => { await teamApi.patchAgent(dialog.agent.id, { active: false }); agents.reload(); setNotice(`${dialog.agent.name} was deactivated.`); }}>
          <p>They are signed out everywhere, their API tokens are revoked, they go offline and get no more offers, and they cannot sign in. You can reactivate them later.</p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'reactivate' && (
        <ConfirmDialog title={`Reactivate ${dialog.agent.name}?`} confirm={`Reactivate ${dialog.agent.name}`} danger={false} onClose={close}
          onConfirm={async () => { await teamApi.patchAgent(dialog.agent.id, { active: true }); agents.reload(); setNotice(`${dialog.agent.name} was reactivated: invite them to set a password and sign in again.`); }}>
          <p>They may work again. Their old tokens stay revoked: send an invitation so they can sign in.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
