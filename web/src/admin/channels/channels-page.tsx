/** #/admin/channels: each channel on or off (and why), what it still needs, its webhook URLs and addresses, and a test. */
import type { SectionProps } from '../admin-app.tsx';
import { CopyText } from '../team/copy-button.tsx';
import { useLoad } from '../team/use-load.ts';
import { ChannelTest } from './channel-test.tsx';
import { channelsApi, type ChannelState } from './channels-api.ts';
import '../team/admin-common.css';
import './channels.css';

const TITLES: Record<string, string> = { email: 'Email', sms: 'SMS', slack: 'Slack', chat: 'Chat' };

function ChannelCard({ c }: { c: ChannelState }) {
  const title = TITLES[c.name] ?? c.name;
  const headId = `channel-${c.name}`;
  return (
    <section class="admin-section channel" aria-labelledby={headId}>
      <div class="section-head">
        <h2 id={headId}>{title}</h2>
        <span class={`badge ${c.enabled ? 'on' : 'off'}`}>{c.enabled ? 'On' : 'Off'}</span>
      </div>
      {!c.enabled && c.reason && <p class="channel-reason">{c.reason}</p>}
      {c.missing.length > 0 && (
        <div>
          <h3>Settings to set</h3>
          <ul class="plain-list missing">{c.missing.map((m) => <li key={m}><code>{m}</code></li>)}</ul>
        </div>
      )}
      {c.webhooks.length > 0 && (
        <div>
          <h3>Webhook URLs</h3>
          <ul class="plain-list">
            {c.webhooks.map((w, i) => (
              <li key={`${i}:${w.label}`} class="webhook">
                <span class="webhook-label">{w.label}</span>
                <CopyText id={`${headId}-hook-${i}`} text={w.url} label="Copy URL" context={`for ${title}: ${w.label}`} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {c.addresses.length > 0 && (
        <div>
          <h3>Serves</h3>
          <ul class="plain-list">{c.addresses.map((a) => <li key={a}>{a}</li>)}</ul>
        </div>
      )}
      {c.notes.length > 0 && <ul class="plain-list notes">{c.notes.map((n) => <li key={n}>{n}</li>)}</ul>}
      {c.testable && <ChannelTest name={c.name} title={title} />}
    </section>
  );
}

export function ChannelsPage(_: SectionProps) {
  const channels = useLoad(() => channelsApi.list());
  return (
    <div class="admin-page">
      <h1>Channels</h1>
      {channels.error && <p class="form-error" role="alert">The channels could not be loaded: {channels.error}</p>}
      {channels.loading && !channels.data && <p class="muted">Loading…</p>}
      <div class="channel-grid">
        {(channels.data?.items ?? []).map((c) => <ChannelCard key={c.name} c={c} />)}
      </div>
    </div>
  );
}
