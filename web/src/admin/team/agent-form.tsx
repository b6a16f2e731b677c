/** Creates or changes an agent: who they are, their role, queues, skills, capacity and presence. */
import { useState } from 'preact/hooks';
import { Modal } from '../../modal.tsx';
import { PRESENCES, type Presence, type Role } from '../../types.ts';
import { capacityDraft, CapacityEditor, capacityValue } from './capacity-editor.tsx';
import { changedFields } from './changed-fields.ts';
import { formErrors, NO_ERRORS, type FormErrors } from './form-errors.ts';
import { FieldGroup, FormField } from './form-field.tsx';
import { presenceName } from './presence-label.ts';
import { SkillsEditor, type SkillRow } from './skills-editor.tsx';
import { teamApi } from './team-api.ts';
import type { AgentCreated, AgentDetail, AgentInput } from './team-types.ts';

const FIELDS = ['name', 'email', 'role', 'slackUserId', 'skills', 'skillLevels', 'queues', 'capacity', 'presence'];
const ROLES: readonly (readonly [Role, string])[] = [['agent', 'Agent'], ['supervisor', 'Supervisor'], ['admin', 'Admin']];

function skillRows(a: AgentDetail | null): SkillRow[] {
  return (a?.skills ?? []).map((name) => ({ name, level: a?.skillLevels[name.toLowerCase()] ?? 3 }));
}

interface Props {
  agent: AgentDetail | null;
  queueNames: readonly string[];
  onSaved(a: AgentDetail | AgentCreated): void;
  onClose(): void;
}

export function AgentForm({ agent, queueNames, onSaved, onClose }: Props) {
  const [name, setName] = useState(agent?.name ?? '');
  const [email, setEmail] = useState(agent?.email ?? '');
  const [role, setRole] = useState<Role>(agent?.role ?? 'agent');
  const [slackUserId, setSlackUserId] = useState(agent?.slackUserId ?? '');
  const [queues, setQueues] = useState<string[]>(agent?.queues ?? []);
  const [skills, setSkills] = useState(() => skillRows(agent));
  const [capacity, setCapacity] = useState(() => capacityDraft(agent?.capacity));
  const [presence, setPresence] = useState(agent?.presence ?? 'offline');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const err = errors.fields;
  // queues the agent names that no longer exist stay visible, to be unticked
  const queueChoices = [...queueNames, ...queues.filter((q) => !queueNames.includes(q))];

  async function save(e: Event) {
    e.preventDefault();
    const named = skills.filter((s) => s.name.trim());
    const input: AgentInput = {
      name: name.trim(),
      email: email.trim() || null,
      role,
      slackUserId: slackUserId.trim() || null,
      queues,
      skills: named.map((s) => s.name.trim()),
      skillLevels: Object.fromEntries(named.map((s) => [s.name.trim().toLowerCase(), s.level])),
      capacity: capacityValue(capacity),
      presence: presence as Presence,
    };
    const body = agent ? changedFields(agent, input) : input;
    if (agent && Object.keys(body).length === 0) return onClose();
    setBusy(true);
    try {
      onSaved(agent ? await teamApi.patchAgent(agent.id, body) : await teamApi.createAgent(body));
    } catch (x) {
      setErrors(formErrors(x, FIELDS));
      setBusy(false);
    }
  }

  return (
    <Modal title={agent ? `Edit agent ${agent.name}` : 'New agent'} onClose={onClose} class="admin-dialog">
      <form class="admin-form" onSubmit={(e) => void save(e)} noValidate>
        {errors.form && <p class="form-error" role="alert">{errors.form}</p>}
        <div class="form-grid">
          <FormField label="Name" error={err.name}>
            {(c) => <input {...c} type="text" autoComplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </FormField>
          <FormField label="Email" error={err.email} hint={agent ? 'A new address ends their sessions and password: invite them again.' : 'They get an invitation link to set a password.'}>
            {(c) => <input {...c} type="email" autoComplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
          </FormField>
          <FormField label="Role" error={err.role}>
            {(c) => (
              <select {...c} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
                {ROLES.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
              </select>
            )}
          </FormField>
          <FormField label="Presence" error={err.presence}>
            {(c) => (
              <select {...c} value={presence} onChange={(e) => setPresence(e.currentTarget.value)}>
                {PRESENCES.map((p) => <option key={p} value={p}>{presenceName(p)}</option>)}
              </select>
            )}
          </FormField>
          <FormField label="Slack user id" error={err.slackUserId} hint="e.g. U0123456, to work cases from Slack; empty: none.">
            {(c) => <input {...c} type="text" value={slackUserId} onInput={(e) => setSlackUserId(e.currentTarget.value)} />}
          </FormField>
        </div>
        <FieldGroup legend="Queues" error={err.queues} class="checks">
          {queueChoices.map((q) => (
            <label key={q} class="choice">
              <input type="checkbox" checked={queues.includes(q)} onChange={(e) => setQueues(e.currentTarget.checked ? [...queues, q] : queues.filter((x) => x !== q))} />
              {q}
            </label>
          ))}
        </FieldGroup>
        <SkillsEditor rows={skills} error={err.skills ?? err.skillLevels} onChange={setSkills} />
        <CapacityEditor value={capacity} error={err.capacity} onChange={setCapacity} />
        <div class="form-actions sticky-actions">
          <button type="submit" class="btn primary" disabled={busy}>{agent ? 'Save agent' : 'Create agent'}</button>
          <button type="button" class="btn" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
