import { SettingError } from '../channels/setting-error.ts';

export interface Listener {
  /** the setting that chose the port */
  setting: string;
  port: number;
}

/**
 * One line for an operator, for the failures a setting explains (a bad value, a taken port, a data
 * directory the process may not write); null for anything else, which keeps its stack trace.
 */
export function describeStartupError(err: unknown, listeners: readonly Listener[], dataDir: string, database?: string): string | null {
  if (err instanceof SettingError) return err.message;
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string; severity?: string };
  if (database && !database.startsWith('file:')) {
    // `database` is the URL as it may be shown: without its password
    if (e?.syscall === 'connect' || e?.syscall === 'getaddrinfo') return `DATABASE_URL: cannot reach the database at ${database} (${e.code ?? e.message})`;
    if (typeof e?.severity === 'string') return `DATABASE_URL: the database at ${database} refused: ${e.message}`;
  }
  const listener = listeners.find((l) => l.port === e.port) ?? (listeners.length === 1 ? listeners[0] : undefined);
  if (e?.syscall === 'listen' || e?.code === 'EADDRINUSE') {
    const where = `${e.address ?? 'the host'}:${e.port ?? '?'}`;
    const setting = listener?.setting ?? 'PORT';
    if (e.code === 'EADDRINUSE') return `${setting}: ${where} is already in use; stop what holds it or set ${setting} to a free port`;
    if (e.code === 'EACCES') return `${setting}: not allowed to listen on ${where}; use a port above 1023 or run with the right privileges`;
    if (e.code === 'EADDRNOTAVAIL') return `HOST: ${e.address ?? '?'} is not an address of this machine`;
  }
  if ((e?.code === 'EACCES' || e?.code === 'EPERM' || e?.code === 'EROFS') && typeof e.path === 'string') {
    return `DATA_DIR: cannot write ${e.path} (${e.code}); give this user ${dataDir} or set DATA_DIR to a writable directory`;
  }
  return null;
}
