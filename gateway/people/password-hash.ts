import crypto from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

// argon2id at OWASP's recommended floor (19 MiB, 2 passes, 1 lane); it runs on libuv's thread pool, not the event loop.
// The package declares the algorithm as a const enum, which type stripping cannot inline: 2 is Argon2id.
const OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let decoy: Promise<string> | null = null;

/**
 * Whether the password matches the stored hash. Without a hash (an unknown email, an agent who never set a
 * password) a decoy hash is checked all the same, so the answer takes as long and tells nothing.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  decoy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  const target = stored ?? (await decoy);
  const ok = await verify(target, password).catch(() => false);
  return ok && stored !== null;
}

/** Why a new password is refused, or null: long enough, not absurdly long, not the person's email. */
export function passwordProblem(password: string, email: string | null): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password may have at most ${MAX_PASSWORD_LENGTH} characters`;
  if (email && password.trim().toLowerCase() === email.toLowerCase()) return 'a password may not be the email address';
  return null;
}
