/** The page of each admin section, by its id in ADMIN_SECTIONS. */
import type { ComponentType } from 'preact';
import type { SectionProps } from './admin-app.tsx';
import { RulesPage } from './rules/rules-page.tsx';
import { LexiconPage } from './lexicon/lexicon-page.tsx';
import { TeamPage } from './team/team-page.tsx';
import { CustomersPage } from './customers/customers-page.tsx';
import { SlaPage } from './sla/sla-page.tsx';
import { ChannelsPage } from './channels/channels-page.tsx';
import { IntegrationsPage } from './integrations/integrations-page.tsx';

export const SECTION_PAGES: Record<string, ComponentType<SectionProps>> = {
  rules: RulesPage,
  lexicon: LexiconPage,
  team: TeamPage,
  customers: CustomersPage,
  sla: SlaPage,
  channels: ChannelsPage,
  integrations: IntegrationsPage,
};
