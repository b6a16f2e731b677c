/**
 * Rules seeded at first start (data, validated like any admin rule set). Tag rules come first and set no
 * queue; then one rule per topic queue; anything unmatched falls to General.
 */
import type { Rule } from './rule.types.ts';

export const DEFAULT_QUEUES = ['General', 'Billing', 'Orders & Delivery', 'Account', 'Technical'] as const;

export const DEFAULT_RULES: Rule[] = [
  {
    id: 'after-hours',
    name: 'Outside business hours: tell the customer when we answer',
    when: { businessHours: 'outside' },
    then: { tags: ['after-hours'], autoReplyTemplate: 'ack-after-hours' },
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
  {
    id: 'billing',
    name: 'Invoices, payments, refunds, fees',
    when: { category: ['Billing'] },
    then: { queue: 'Billing', requiredSkills: ['billing'], autoReplyTemplate: 'ack-billing' },
  },
  {
    id: 'orders',
    name: 'Orders, delivery, shipping address',
    when: { category: ['Orders & Delivery'] },
    then: { queue: 'Orders & Delivery', autoReplyTemplate: 'ack-orders' },
  },
  {
    id: 'account',
    name: 'Sign-up, login, password, profile, newsletter',
    when: { category: ['Account'] },
    then: { queue: 'Account', autoReplyTemplate: 'ack-account' },
  },
  {
    id: 'technical',
    name: 'Errors, crashes, outages',
    when: { category: ['Technical'] },
    then: { queue: 'Technical', requiredSkills: ['technical'], autoReplyTemplate: 'ack-technical' },
  },
  {
    id: 'general',
    name: 'Everything else',
    when: {},
    then: { queue: 'General', autoReplyTemplate: 'ack-general' },
  },
];
