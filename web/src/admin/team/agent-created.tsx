/** What creating an agent hands out once: their invitation link and their API token. */
import { Modal } from '../../modal.tsx';
import { CopyText } from './copy-button.tsx';
import { InviteDetails } from './invite-details.tsx';
import type { AgentCreated as Created, Invite } from './team-types.ts';

export function AgentCreatedDialog({ agent, onClose }: { agent: Created; onClose(): void }) {
  return (
    <Modal title={`${agent.name} was created`} onClose={onClose} class="admin-dialog">
      {agent.invite ? <InviteDetails invite={agent.invite} name={agent.name} /> : (
        <p class="secret-note">No email, so no invitation: add one and use “Invite” for a link to set a password.</p>
      )}
      <div class="secret-box">
        <h3 class="secret-title">API token</h3>
        <p class="secret-warning" role="note">Copy it now: it will not be shown again. It lets programs act as {agent.name}.</p>
        <CopyText id="agent-token" text={agent.token} label="Copy the API token" />
      </div>
      <div class="form-actions">
        <button type="button" class="btn primary" onClick={onClose}>Done</button>
      </div>
    </Modal>
  );
}

export function InviteDialog({ invite, name, onClose }: { invite: Invite; name: string; onClose(): void }) {
  return (
    <Modal title={`Invitation for ${name}`} onClose={onClose} class="admin-dialog">
      <InviteDetails invite={invite} name={name} />
      <p class="muted small">An earlier link for {name} no longer works.</p>
      <div class="form-actions">
        <button type="button" class="btn primary" onClick={onClose}>Done</button>
      </div>
    </Modal>
  );
}
