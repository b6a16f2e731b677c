/** #/admin/team: the live status board first, then the queues and the agents. */
import { useState } from 'preact/hooks';
import type { SectionProps } from '../admin-app.tsx';
import { AgentsSection } from './agents-section.tsx';
import { QueuesSection } from './queues-section.tsx';
import { StatusBoard } from './status-board.tsx';
import './admin-common.css';
import './team.css';

export function TeamPage({ session, readOnly }: SectionProps) {
  const [queuesVersion, setQueuesVersion] = useState(0);
  return (
    <div class="admin-page">
      <h1>Team</h1>
      {readOnly && <p class="muted">You see the team as a supervisor: only admins change queues and agents.</p>}
      <StatusBoard />
      <QueuesSection readOnly={readOnly} onChanged={() => setQueuesVersion((v) => v + 1)} />
      <AgentsSection readOnly={readOnly} selfId={session.agent.id} queuesVersion={queuesVersion} />
    </div>
  );
}
