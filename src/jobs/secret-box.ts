/**
 * The server's secret key and what it protects: executor credentials at rest (AES-256-GCM) and the short-lived
 * signed URLs executors fetch projects from (HMAC-SHA256). The key comes from FERRY_SECRET_KEY (replicas must
 * share one) or a file made once in the data dir (mode 0600).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_KEY_FILE = 'secret.key';

export function loadServerKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const given = env['FERRY_SECRET_KEY'];
  if (given) {
    if (given.length < 32) throw new Error('FERRY_SECRET_KEY must be at least 32 characters.');
    return Buffer.from(given, 'utf8');
  }
  const file = join(dataDir, SECRET_KEY_FILE);
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  } catch {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    try {
      writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
      return key;
    } catch {
      // Another process made it first.
      return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    }
  }
}

export class SecretBox {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(serverKey: Buffer) {
    this.encKey = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), 'ferry executor secrets', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), 'ferry signed urls', 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${c.getAuthTag().toString('base64url')}`;
  }

  open(sealed: string): string {
    const [v, iv, body, tag] = sealed.split('.');
    if (v !== 'v1' || !iv || body === undefined || !tag) throw new Error('not a sealed secret');
    const d = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
  }

  sign(message: string): string {
    return createHmac('sha256', this.macKey).update(message).digest('base64url');
  }

  verify(message: string, signature: string): boolean {
    const want = Buffer.from(this.sign(message));
    const got = Buffer.from(signature);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}
