import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthService } from './auth-service.js';

export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * First start with no credentials: create the admin token (FERRY_ADMIN_TOKEN's value if given, for
 * automation) and write it 0600 into the data dir. Returns the token when one was created, else null.
 */
export async function bootstrapAdmin(auth: AuthService, dataDir: string, presetToken: string | undefined): Promise<{ token: string; file: string } | null> {
  if (await auth.hasAnyCredential()) return null;
  const { token } = await auth.createToken('admin', 'admin', 'bootstrap', { secret: presetToken || undefined });
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}
