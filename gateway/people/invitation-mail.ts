import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { OutboundMessage, SendResult } from '../../channels/channel.types.ts';

export interface InvitationLetter {
  name: string;
  email: string;
  url: string;
  expiresAt: Date;
  invitedBy: string | null;
}

/** Mails an invitation link; returns at once (the admin has the link in the answer either way). */
export type InvitationMailer = (letter: InvitationLetter) => void;

/**
 * Invitations by email, through the email channel's own sender as an automatic notice. Not through the
 * outbox: the outbox keeps what it sends in the database, and the link is a password-setting secret we keep
 * only as a hash. A failed mail is logged (without the link); the admin still has it to hand over.
 */
export function createInvitationMailer(send: (msg: OutboundMessage) => Promise<SendResult>, log: FastifyBaseLogger): InvitationMailer {
  return (letter) => {
    const msg: OutboundMessage = {
      interactionId: `invitation:${randomUUID()}`,
      channel: 'email',
      caseNumber: '',
      to: { address: letter.email, name: letter.name, email: letter.email },
      subject: 'Your invitation to Switchboard',
      text: invitationText(letter),
      references: [],
      attempt: 1,
      kind: 'notice',
    };
    send(msg).then(
      () => log.info({ to: letter.email }, 'invitation mailed'),
      (err: unknown) => log.warn({ to: letter.email, reason: (err as Error).message }, 'the invitation could not be mailed; the admin has its link'),
    );
  };
}

function invitationText(l: InvitationLetter): string {
  const when = `${l.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return [
    `Hello ${l.name},`,
    '',
    `${l.invitedBy ?? 'An administrator'} invited you to answer customers in Switchboard, the support workspace.`,
    `Set your password with this link; it works once, until ${when}:`,
    '',
    l.url,
    '',
    'Then sign in with this email address. If you did not expect this mail, ignore it: nothing happens without the link.',
  ].join('\n');
}
