/**
 * Fills a canned response's placeholders at insertion: {{contact.firstName}}, {{contact.name}}, {{contact.email}},
 * {{case.number}}, {{case.subject}}, {{agent.name}}, {{agent.firstName}}. An unknown or empty one becomes ''.
 */
export interface FillContext {
  contact: { name: string | null; email: string | null };
  caseNumber: string;
  caseSubject: string;
  agentName: string;
}

const firstWord = (s: string | null | undefined) => (s ?? '').trim().split(/\s+/)[0] ?? '';

export function contactFirstName(contact: FillContext['contact']): string {
  return firstWord(contact.name) || (contact.email ?? '').split('@')[0]?.trim() || 'there';
}

export function fillPlaceholders(text: string, ctx: FillContext): string {
  const values: Record<string, string> = {
    'contact.firstName': contactFirstName(ctx.contact),
    'contact.name': ctx.contact.name ?? '',
    'contact.email': ctx.contact.email ?? '',
    'case.number': ctx.caseNumber,
    'case.subject': ctx.caseSubject,
    'agent.name': ctx.agentName,
    'agent.firstName': firstWord(ctx.agentName),
  };
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, key: string) => values[key] ?? '');
}
