import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

/** API tokens carry 256 random bits, so a fast hash is enough to store them safely. */
export function newToken(): string {
  return `fry_${randomBytes(32).toString('base64url')}`;
}

/** Whether a secret has the shape of a token newToken() made (a chosen FERRY_ADMIN_TOKEN need not). */
export function looksLikeToken(secret: string): boolean {
  return secret.startsWith('fry_');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Passwords are people's, so they get a slow salted hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}
