import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt is memory-hard: N=2^15, r=8 needs 32 MiB per guess, which is what makes a stolen table slow to crack.
// The parameters are stored with each hash, so raising them later leaves old hashes verifiable.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** "scrypt$N$r$p$salt$key" with a random 16-byte salt of its own. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether the password matches the stored hash; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((x) => Number.isInteger(x) && x > 0)) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// Hashed once, lazily: verifying against it when the username is unknown makes that answer take as long as a
// wrong password, so the timing does not tell which usernames exist.
let decoy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  decoy ??= hashPassword(randomBytes(12).toString('hex'));
  await verifyPassword(password, await decoy);
}

// Each check takes 32 MiB and a thread of the pool for tens of milliseconds: at most two run at once, and a few
// dozen wait their turn. Beyond that the server is flooded, and an attempt is refused rather than queued.
const MAX_CHECKS_AT_ONCE = 2;
const MAX_CHECKS_WAITING = 32;
let running = 0;
const waiting: (() => void)[] = [];

/** A password check run in one of the few slots; null when too many already wait (the caller answers "busy"). */
export async function inCheckSlot<T>(check: () => Promise<T>): Promise<T | null> {
  if (running >= MAX_CHECKS_AT_ONCE) {
    if (waiting.length >= MAX_CHECKS_WAITING) return null;
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running++;
  try {
    return await check();
  } finally {
    // The slot passes straight to the next in line (running stays the same), or is freed.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
