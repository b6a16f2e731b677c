/** The admin workspace's sections: where each lives (#/admin/<id>), its name, and who may open it. */
import type { Role } from '../types.ts';

export interface AdminSection {
  id: string;
  label: string;
  /** the least role that opens it; supervisors see some read-only (the page says so) */
  role: Exclude<Role, 'agent'>;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { id: 'rules', label: 'Routing rules', role: 'supervisor' },
  { id: 'lexicon', label: 'Lexicon', role: 'supervisor' },
  { id: 'team', label: 'Team', role: 'supervisor' },
  { id: 'customers', label: 'Customers', role: 'supervisor' },
  { id: 'sla', label: 'SLAs and calendars', role: 'admin' },
  { id: 'channels', label: 'Channels', role: 'admin' },
  { id: 'integrations', label: 'Integrations', role: 'admin' },
];

export function mayOpen(role: Role, section: AdminSection): boolean {
  return role === 'admin' || (role === 'supervisor' && section.role === 'supervisor');
}
