/** Routing rules as data: what an admin writes (JSON), validated by rule-schema.ts. */
import type { ChannelName } from '../channels/channel.types.ts';
import type { Lexicon } from '../nlp/keyword-matcher.ts';
import type { BusinessHours } from './business-hours.ts';

export type Priority = 1 | 2 | 3 | 4;
export type { CaseState } from './case-state.ts';
import type { CaseState } from './case-state.ts';

export interface NumberRange {
  atLeast?: number;
  atMost?: number;
}

/** Every present condition must hold (AND); a list inside one condition means any of its values (OR). */
export interface RuleConditions {
  channel?: ChannelName[];
  /** any of these words or phrases, matched on stems in the subject and text */
  keywords?: string[];
  /** a regular expression on the subject and text (restricted: see regex-safety.ts) */
  matches?: { pattern: string; flags?: string };
  /** the scored category is one of these */
  category?: string[];
  sentiment?: { below?: number; above?: number };
  frustrated?: boolean;
  urgency?: NumberRange;
  contact?: {
    tier?: string[];
    vip?: boolean;
    /** e-mail domains, e.g. "bigcorp.com" */
    emailDomain?: string[];
    accountName?: string[];
    /** true: the contact has a name or an account; false: a first-time stranger */
    known?: boolean;
  };
  businessHours?: 'inside' | 'outside';
  case?: {
    state?: CaseState[];
    /** true: the message opens a new case; false: it follows up an existing one */
    isNew?: boolean;
    priority?: NumberRange;
    /** the case has any of these tags */
    tags?: string[];
    inboundCount?: NumberRange;
  };
}

export interface RuleActions {
  queue?: string;
  priority?: Priority;
  category?: string;
  tags?: string[];
  requiredSkills?: string[];
  /** the name of a template in the configuration's `templates`, sent to the customer when a case opens */
  autoReplyTemplate?: string;
}

export interface Rule {
  id: string;
  name?: string;
  /** default true */
  enabled?: boolean;
  when: RuleConditions;
  then: RuleActions;
}

/** Everything an admin tunes, versioned as one document: each change makes a new version. */
export interface RoutingConfig {
  rules: Rule[];
  lexicon: Lexicon;
  /** template name → text; `{{caseNumber}}`, `{{name}}`, `{{queue}}`, `{{subject}}` and `{{backAt}}` (when a closed team is back; "soon" when unknown) are filled in */
  templates: Record<string, string>;
  /** hours written out, or a business calendar's (`{"calendar": "<id>" | "default"}`); null: always open */
  businessHours: BusinessHours | CalendarHoursRef | null;
}

/** Business hours kept as a business calendar (holidays and split or overnight windows included). */
export interface CalendarHoursRef {
  /** a calendar's id, or "default": the default calendar */
  calendar: string;
}

export function isCalendarRef(v: BusinessHours | CalendarHoursRef | null | undefined): v is CalendarHoursRef {
  return typeof v === 'object' && v !== null && 'calendar' in v;
}
