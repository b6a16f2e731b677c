/** Issues an API token for a program: its role, a label to recognise it, and the agent it acts as (if any). */
import { useState } from 'preact/hooks';
import type { Role } from '../../types.ts';
import { formErrors, NO_ERRORS, type FormErrors } from '../team/form-errors.ts';
import { FormField } from '../team/form-field.tsx';
import type { AgentDetail } from '../team/team-types.ts';
import { tokensApi } from './tokens-api.ts';

const FIELDS = ['role', 'label', 'agentId'];

export function TokenForm({ agents, onCreated }: { agents: readonly AgentDetail[]; onCreated(t: { id: string; token: string; label: string }): void }) {
  const [role, setRole] = useState<Role>('agent');
  const [label, setLabel] = useState('');
  const [agentId, setAgentId] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const err = errors.fields;

  async function create(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const t = await tokensApi.create({ role, ...(label.trim() ? { label: label.trim() } : {}), ...(agentId ? { agentId } : {}) });
      onCreated({ id: t.id, token: t.token, label: label.trim() });
      setLabel('');
      setAgentId('');
    } catch (x) {
      setErrors(formErrors(x, FIELDS));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="admin-form" onSubmit={(e) => void create(e)} noValidate aria-labelledby="create-token-title">
      <h3 id="create-token-title">Create a token</h3>
      {errors.form && <p class="form-error" role="alert">{errors.form}</p>}
      <div class="form-grid">
        <FormField label="Role" error={err.role} hint="What the token may do: an agent's work, a supervisor's, or everything.">
          {(c) => (
            <select {...c} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              <option value="agent">Agent</option><option value="supervisor">Supervisor</option><option value="admin">Admin</option>
            </select>
          )}
        </FormField>
        <FormField label="Label" error={err.label} hint="What uses it, e.g. “CRM sync”.">
          {(c) => <input {...c} type="text" maxLength={200} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />}
        </FormField>
        <FormField label="Acts as agent" error={err.agentId} hint="Optional: its replies and changes are that agent's.">
          {(c) => (
            <select {...c} value={agentId} onChange={(e) => setAgentId(e.currentTarget.value)}>
              <option value="">No agent</option>
              {agents.filter((a) => a.active !== false).map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
          )}
        </FormField>
      </div>
      <div><button type="submit" class="btn primary" disabled={busy}>Create token</button></div>
    </form>
  );
}
