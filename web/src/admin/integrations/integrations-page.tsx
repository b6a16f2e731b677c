/** #/admin/integrations: the API tokens programs use; a new one is shown once, an old one can be revoked. */
import { useState } from 'preact/hooks';
import type { SectionProps } from '../admin-app.tsx';
import { ConfirmDialog } from '../team/confirm-dialog.tsx';
import { CopyText } from '../team/copy-button.tsx';
import { formatStamp } from '../team/format-time.ts';
import { teamApi } from '../team/team-api.ts';
import { useLoad } from '../team/use-load.ts';
import { TokenForm } from './token-form.tsx';
import { tokensApi, type ApiToken } from './tokens-api.ts';
import '../team/admin-common.css';

const ROLE_NAMES: Record<string, string> = { agent: 'Agent', supervisor: 'Supervisor', admin: 'Admin' };

export function IntegrationsPage(_: SectionProps) {
  const tokens = useLoad(() => tokensApi.list());
  const agents = useLoad(() => teamApi.agents());
  const [created, setCreated] = useState<{ id: string; token: string; label: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [notice, setNotice] = useState('');
  const name = (t: ApiToken) => t.label || `${ROLE_NAMES[t.role] ?? t.role} token`;

  return (
    <div class="admin-page">
      <h1>Integrations</h1>
      <section class="admin-section" aria-labelledby="tokens-title">
        <h2 id="tokens-title">API tokens</h2>
        <p class="muted small">Programs send a token as <code>Authorization: Bearer …</code>. Only its hash is kept: a lost token cannot be shown again, only replaced.</p>
        <TokenForm agents={agents.data?.items ?? []} onCreated={(t) => { setCreated(t); setNotice(''); tokens.reload(); }} />
        {created && (
          <div class="secret-box" role="region" aria-label="The new token">
            <h3 class="secret-title">New token{created.label ? `: ${created.label}` : ''}</h3>
            <p class="secret-warning">Copy it now: it will not be shown again.</p>
            <CopyText id="new-token" text={created.token} label="Copy the token" />
            <div><button type="button" class="btn small" onClick={() => setCreated(null)}>I have copied it</button></div>
          </div>
        )}
        <p class="notice" role="status">{notice}</p>
        {tokens.error && <p class="form-error" role="alert">The tokens could not be loaded: {tokens.error}</p>}
        <table class="admin-table stack">
          <caption class="visually-hidden">API tokens</caption>
          <thead>
            <tr><th scope="col">Token</th><th scope="col">Role</th><th scope="col">Agent</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {(tokens.data?.items ?? []).map((t) => (
              <tr key={t.id} class={t.revokedAt ? 'inactive' : undefined}>
                <th scope="row" data-label="Token">{name(t)}</th>
                <td data-label="Role">{ROLE_NAMES[t.role] ?? t.role}</td>
                <td data-label="Agent">{t.agentName ?? '—'}</td>
                <td data-label="Created">{formatStamp(t.createdAt)}</td>
                <td data-label="Last used">{t.lastUsedAt ? formatStamp(t.lastUsedAt) : 'Never'}</td>
                <td data-label="State">{t.revokedAt ? `Revoked ${formatStamp(t.revokedAt)}` : 'Active'}</td>
                <td data-label="Actions">
                  {!t.revokedAt && <button type="button" class="btn small danger-outline" onClick={() => setRevoking(t)}>Revoke<span class="visually-hidden"> {name(t)}</span></button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {revoking && (
        <ConfirmDialog title={`Revoke ${name(revoking)}?`} confirm="Revoke the token" onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await tokensApi.revoke(revoking.id);
            if (created?.id === revoking.id) setCreated(null);
            setNotice(`${name(revoking)} was revoked: programs using it are refused from now on.`);
            tokens.reload();
          }}>
          <p>Programs using it are refused at once. This cannot be undone: issue a new token instead.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
