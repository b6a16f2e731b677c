/**
 * What the simulated customers write: short messages across the seeded queues' topics, some calm, some
 * upset, so scoring and the rules do their usual work (a constant text would flatter the caches).
 */
const OPENINGS = [
  'Hi, I was charged twice for my last invoice and I would like a refund of the duplicate payment.',
  'My parcel was supposed to arrive on Monday and the tracking has not moved for four days.',
  'I cannot log in to my account, the password reset email never arrives.',
  'The app crashes every time I open the settings screen since the last update.',
  'Hello, could you tell me whether you deliver to Norway and how long it takes?',
  'This is the third time I write about the same problem and nobody answers, it is really frustrating!',
  'Please change the shipping address of my order to my office, it is urgent.',
  'I want to cancel my subscription and close my account.',
  'There is an error 500 when I try to pay with my credit card.',
  'Thanks for the quick help yesterday, everything works now.',
];

const FOLLOW_UPS = [
  'Any news on this?',
  'I attached the order number: it is 48213.',
  'Still waiting, could someone please look at it today?',
  'It happened again this morning.',
  'Thank you, that would be great.',
  'I tried again and it still does not work at all, terrible.',
];

/** The k-th message of a customer: an opening first, follow-ups after. */
export function customerText(customer: number, nth: number): string {
  if (nth === 0) return OPENINGS[customer % OPENINGS.length]!;
  return `${FOLLOW_UPS[(customer + nth) % FOLLOW_UPS.length]!} (${nth})`;
}
