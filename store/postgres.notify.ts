import pg from 'pg';

/** What a notification channel tells its owner. */
export interface NotifyHandlers {
  /** a payload published on the channel, by any connection (this one's own included) */
  message(payload: string): void;
  /** the connection was lost and is back: whatever was published meanwhile never arrived */
  gap(): void;
  /** a publish or a reconnection failed (logged by the owner; nothing is thrown) */
  error(err: unknown): void;
  /**
   * Published once the connection works again after a publish of this owner's was lost (the connection
   * was down, or the NOTIFY failed): its receivers learn that they missed something.
   */
  lostNotice: string;
}

/** One LISTEN connection: publish to every instance on the database, hear what they publish. */
export interface NotifyChannel {
  /** fire and forget, in order; dropped while the connection is down (the receivers are told of the gap) */
  publish(payload: string): void;
  /** waits for the publishes under way, then closes */
  close(): Promise<void>;
}

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
export const MAX_NOTIFY_BYTES = 7_900;

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;

/**
 * LISTENs on `channel` over a connection of its own (a pooled connection would lose the LISTEN when
 * returned) and publishes through the same connection with pg_notify, outside any transaction, so a
 * notification leaves at once. A lost connection is opened again with back-off; the owner hears of the gap.
 */
export async function listenPostgres(url: string, channel: string, handlers: NotifyHandlers): Promise<NotifyChannel> {
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let retryTimer: NodeJS.Timeout | null = null;
  // a publish of ours was lost: the receivers are owed the lost notice
  let owed = false;
  let inFlight: Promise<unknown> = Promise.resolve();

  const notify = (c: pg.Client, payload: string, notice: boolean) => {
    inFlight = c.query('SELECT pg_notify($1, $2)', [channel, payload]).then(
      () => {
        if (notice) owed = false;
      },
      (err: unknown) => {
        owed = true;
        handlers.error(err);
      },
    );
  };

  const connect = async (): Promise<void> => {
    // named, so an operator (or a test) can tell it from the writer and the pool in pg_stat_activity
    const c = new pg.Client({ connectionString: url, application_name: 'switchboard-events' });
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload !== undefined) handlers.message(n.payload);
    });
    const lost = () => {
      if (client !== c) return;
      client = null;
      void c.end().catch(() => undefined);
      scheduleReconnect();
    };
    c.on('error', lost);
    c.on('end', lost);
    await c.connect();
    try {
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect().then(
        () => {
          retryMs = RETRY_MIN_MS;
          if (closed) return;
          handlers.gap();
          if (owed && client) notify(client, handlers.lostNotice, true);
        },
        (err) => {
          handlers.error(err);
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
          scheduleReconnect();
        },
      );
    }, retryMs);
    retryTimer.unref();
  };

  await connect();
  return {
    publish(payload: string) {
      const c = client;
      if (!c) {
        owed = true;
        return;
      }
      // a NOTIFY that failed on a connection still up: the notice goes out ahead of the next publish
      if (owed) notify(c, handlers.lostNotice, true);
      notify(c, payload, false);
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await inFlight;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
