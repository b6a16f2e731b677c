/** An invitation link to hand over (or said to be mailed), with its copy button. */
import { CopyText } from './copy-button.tsx';
import { formatStamp } from './format-time.ts';
import type { Invite } from './team-types.ts';

export function InviteDetails({ invite, name }: { invite: Invite; name: string }) {
  return (
    <div class="secret-box">
      <h3 class="secret-title">Invitation link</h3>
      <p class="secret-note">
        {invite.emailedTo ? `It is being emailed to ${invite.emailedTo}.` : `It was not emailed: hand it over to ${name} yourself.`}{' '}
        It works once, until {formatStamp(invite.expiresAt)}.
      </p>
      <CopyText id="invite-link" text={invite.url} label="Copy the invitation link" />
    </div>
  );
}
