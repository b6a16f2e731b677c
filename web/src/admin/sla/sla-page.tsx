/** #/admin/sla: the SLA policies (with a preview and their versions) and the business calendars they count in. */
import { useState } from 'preact/hooks';
import type { SectionProps } from '../admin-app.tsx';
import { teamApi } from '../team/team-api.ts';
import { useLoad } from '../team/use-load.ts';
import { calendarsApi } from './calendars-api.ts';
import { CalendarsSection } from './calendars-section.tsx';
import { PoliciesSection } from './policies-section.tsx';
import { slaApi } from './sla-api.ts';
import { SlaPreview, type PreviewSeed } from './sla-preview.tsx';
import type { SlaPolicy } from './sla-types.ts';
import { VersionsSection } from './versions-section.tsx';
import '../team/admin-common.css';
import './sla.css';

function seedOf(p: SlaPolicy, n: number): PreviewSeed {
  return {
    n,
    priority: p.match.priority?.[0] ?? 3,
    channel: p.match.channel?.[0] ?? 'email',
    ...(p.match.queue?.[0] ? { queue: p.match.queue[0] } : {}),
    ...(p.match.tier?.[0] ? { tier: p.match.tier[0] } : {}),
    ...(p.match.vip !== undefined ? { vip: p.match.vip } : {}),
  };
}

export function SlaPage(_: SectionProps) {
  const [version, setVersion] = useState(0);
  const [seed, setSeed] = useState<PreviewSeed | null>(null);
  const policies = useLoad(() => slaApi.list(), [version]);
  const calendars = useLoad(() => calendarsApi.list(), [version]);
  const queues = useLoad(() => teamApi.queues());
  const queueNames = (queues.data?.items ?? []).map((q) => q.name);
  const changed = () => setVersion((v) => v + 1);

  return (
    <div class="admin-page">
      <h1>SLAs and calendars</h1>
      <PoliciesSection policies={policies} queues={queueNames} calendars={calendars.data?.items ?? []} onChanged={changed}
        onPreview={(p) => {
          setSeed(seedOf(p, (seed?.n ?? 0) + 1));
          document.getElementById('preview-title')?.scrollIntoView({ block: 'start' });
        }} />
      <SlaPreview seed={seed} queues={queueNames} version={version} />
      <VersionsSection current={policies.data} version={version} onRestored={changed} />
      <CalendarsSection calendars={calendars} onChanged={changed} />
    </div>
  );
}
