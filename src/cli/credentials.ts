/**
 * Where `listo login` keeps the server's address and the API token it made: `$LISTO_CONFIG_DIR`, else
 * `$XDG_CONFIG_HOME/listo`, else `~/.config/listo`, in `credentials.json`, readable by the user alone (0600), as other
 * command-line clients keep theirs. `LISTO_URL` and `LISTO_TOKEN` override it (scripts, CI).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** `tokenId`: so `listo logout` can revoke the token, not only forget it. */
const credentialsSchema = z.object({ url: z.string(), token: z.string(), tokenId: z.string().optional() });
export type Credentials = z.infer<typeof credentialsSchema>;

export const defaultUrl = 'http://localhost:3000';

export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.LISTO_CONFIG_DIR) return env.LISTO_CONFIG_DIR;
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'listo');
}

const fileOf = (env: NodeJS.ProcessEnv) => path.join(configDir(env), 'credentials.json');

export function readCredentials(env: NodeJS.ProcessEnv): Credentials | null {
  try {
    const parsed = credentialsSchema.safeParse(JSON.parse(fs.readFileSync(fileOf(env), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // none yet, or unreadable: as if not signed in
  }
}

export function writeCredentials(env: NodeJS.ProcessEnv, credentials: Credentials): string {
  const file = fileOf(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written whole to a new file, then renamed: never a half-written token, never readable by others in between.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
  return file;
}

export function removeCredentials(env: NodeJS.ProcessEnv): boolean {
  try {
    fs.unlinkSync(fileOf(env));
    return true;
  } catch {
    return false;
  }
}

/** The server and token to use: the environment's, else what `listo login` kept. */
export function resolveCredentials(env: NodeJS.ProcessEnv): { url: string; token: string | undefined } {
  const kept = readCredentials(env);
  return { url: env.LISTO_URL || kept?.url || defaultUrl, token: env.LISTO_TOKEN || kept?.token };
}
