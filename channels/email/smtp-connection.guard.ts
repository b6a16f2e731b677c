/**
 * Keeps one client from holding the SMTP listener. smtp-server limits only the total of connections and
 * how long a client may stay silent, and every byte it sends resets that: one address could take every
 * connection, and a sender trickling its message a byte at a time could keep one for ever. This adds a
 * limit per client address and a time limit per connection.
 */
import type { SMTPServerSession } from 'smtp-server';

export interface SmtpConnectionGuardOptions {
  maxPerAddress: number;
  maxConnectionMs: number;
  /** closes the connection of a session that reached the time limit */
  onTimeLimit(session: SMTPServerSession): void;
}

interface Admitted {
  address: string;
  timer: NodeJS.Timeout;
  /** the whole message is in and the client waits for our reply */
  answering: boolean;
  expired: boolean;
}

export class SmtpConnectionGuard {
  private readonly perAddress = new Map<string, number>();
  private readonly admitted = new Map<string, Admitted>();

  constructor(private readonly opts: SmtpConnectionGuardOptions) {}

  /** For onConnect: false when the client's address already holds its share of connections. */
  admit(session: SMTPServerSession): boolean {
    const address = session.remoteAddress;
    const count = this.perAddress.get(address) ?? 0;
    if (count >= this.opts.maxPerAddress) return false;
    this.perAddress.set(address, count + 1);
    const timer = setTimeout(() => this.expire(session), this.opts.maxConnectionMs);
    timer.unref();
    this.admitted.set(session.id, { address, timer, answering: false, expired: false });
    return true;
  }

  /** For onClose, which refused connections get too; only admitted ones gave back a place. */
  release(session: SMTPServerSession): void {
    const entry = this.admitted.get(session.id);
    if (!entry) return;
    this.admitted.delete(session.id);
    clearTimeout(entry.timer);
    const left = (this.perAddress.get(entry.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(entry.address, left);
    else this.perAddress.delete(entry.address);
  }

  /**
   * The message is in and is being stored: the time limit waits for the reply, or the client would
   * retry a message we may have kept.
   */
  answering(session: SMTPServerSession): void {
    const entry = this.admitted.get(session.id);
    if (entry) entry.answering = true;
  }

  /** The reply was sent; a connection that reached its time limit meanwhile is closed now. */
  answered(session: SMTPServerSession): void {
    const entry = this.admitted.get(session.id);
    if (!entry) return;
    entry.answering = false;
    if (entry.expired) this.opts.onTimeLimit(session);
  }

  private expire(session: SMTPServerSession): void {
    const entry = this.admitted.get(session.id);
    if (!entry) return;
    entry.expired = true;
    if (!entry.answering) this.opts.onTimeLimit(session);
  }
}
