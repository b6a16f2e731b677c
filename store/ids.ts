import crypto from 'node:crypto';

let lastMs = 0;
let counter = 0;
/**
 * A collision-resistant id that sorts by creation within this process: time (ms), a counter for ids made in
 * the same millisecond, then randomness. Same alphabet and length as the ids Prisma makes (cuid).
 */
export function newId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else counter++;
  const random = randomChunk().toString(36).padStart(13, '0').slice(0, 12);
  return `c${lastMs.toString(36).padStart(8, '0')}${(counter % 36 ** 4).toString(36).padStart(4, '0')}${random}`;
}

// random bytes drawn a few kilobytes at a time: one call per id would cost more than the id's statement
let pool = Buffer.alloc(0);
let poolAt = 0;
function randomChunk(): bigint {
  if (poolAt + 8 > pool.length) {
    pool = crypto.randomBytes(4096);
    poolAt = 0;
  }
  const v = pool.readBigUInt64BE(poolAt);
  poolAt += 8;
  return v;
}
