/**
 * The routing configuration seeded at first start (data, validated like any admin change, and editable
 * through the rules API). Tag rules come first and set no queue; then one rule per topic queue; anything
 * unmatched falls to General. Business hours are unset (always open) until an admin sets them, so the
 * after-hours auto-reply stays quiet on a fresh install.
 */
import { DEFAULT_LEXICON } from '../nlp/default-lexicon.ts';
import type { Rule, RoutingConfig } from './rule.types.ts';

export const DEFAULT_QUEUES = ['General', 'Billing', 'Orders & Delivery', 'Account', 'Technical'] as const;

export const DEFAULT_TEMPLATES: Record<string, string> = {
  'after-hours':
    'Thank you for your message. Our team is away right now and back {{backAt}}; we answer in the order messages arrive. Your case number is {{caseNumber}}.',
  received: 'Thank you for contacting us. Your case number is {{caseNumber}}; an agent of our {{queue}} team will answer you soon.',
};

export const DEFAULT_RULES: Rule[] = [
  {
    id: 'after-hours',
    name: 'Outside business hours: tell the customer when we answer',
    when: { businessHours: 'outside', case: { isNew: true } },
    then: { tags: ['after-hours'], autoReplyTemplate: 'after-hours' },
  },
  { id: 'frustrated', name: 'Frustrated customer', when: { frustrated: true }, then: { tags: ['frustrated'] } },
  { id: 'urgent', name: 'Urgent wording', when: { urgency: { atLeast: 2 } }, then: { tags: ['urgent'] } },
  { id: 'vip', name: 'VIP customer', when: { contact: { vip: true } }, then: { tags: ['vip'] } },
  {
    id: 'repeat-contact',
    name: 'Customer wrote three times or more',
    when: { case: { inboundCount: { atLeast: 3 } } },
    then: { tags: ['repeat-contact'] },
  },
  { id: 'billing', name: 'Invoices, payments, refunds, fees', when: { category: ['Billing'] }, then: { queue: 'Billing' } },
  { id: 'orders', name: 'Orders, delivery, shipping address', when: { category: ['Orders & Delivery'] }, then: { queue: 'Orders & Delivery' } },
  { id: 'account', name: 'Sign-up, login, password, profile, newsletter', when: { category: ['Account'] }, then: { queue: 'Account' } },
  { id: 'technical', name: 'Errors, crashes, outages', when: { category: ['Technical'] }, then: { queue: 'Technical' } },
  { id: 'general', name: 'Everything else', when: {}, then: { queue: 'General' } },
];

export const DEFAULT_ROUTING_CONFIG: RoutingConfig = {
  rules: DEFAULT_RULES,
  lexicon: DEFAULT_LEXICON,
  templates: DEFAULT_TEMPLATES,
  businessHours: null,
};
