import { describe, expect, it } from 'vitest';
import { classifyKeyword } from '../../../../channels/sms/keyword-classifier.ts';

describe('classifyKeyword', () => {
  it.each(['STOP', 'stop', ' Stop \n', 'STOPALL', 'unsubscribe', 'END', 'quit', 'REVOKE', 'optout', 'Cancel'])(
    '%j is an opt-out',
    (body) => {
      expect(classifyKeyword(body).kind).toBe('opt_out');
    },
  );

  it.each(['START', 'start ', 'UNSTOP', 'unstop'])('%j is an opt-in', (body) => {
    expect(classifyKeyword(body).kind).toBe('opt_in');
  });

  it.each(['HELP', ' help', 'Info'])('%j is a help request', (body) => {
    expect(classifyKeyword(body).kind).toBe('help');
  });

  // YES re-subscribes at Twilio, but here it is the customer answering a question
  it.each(['please stop texting me', 'STOP!', 'stop it', 'help me with my order', 'yes', 'YES', 'yes please', 'STOP STOP', '', 'S T O P', 'ſtop', 'ﬆop', 'quıt', 'ınfo', 'ＳＴＯＰ'])(
    '%j is a message',
    (body) => {
      const decision = classifyKeyword(body);
      expect(decision.kind).toBe('message');
      expect(decision.keyword).toBeUndefined();
    },
  );

  it('names the keyword and explains the decision', () => {
    expect(classifyKeyword(' unsubscribe ')).toEqual({
      kind: 'opt_out',
      keyword: 'UNSUBSCRIBE',
      reason: 'the whole body is the opt_out keyword UNSUBSCRIBE',
    });
  });
});
