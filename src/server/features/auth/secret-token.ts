/** Random bearer secrets (sessions, API tokens, invitations): 256 bits, only their SHA-256 is stored. */
import { createHash, randomBytes } from 'node:crypto';

export const newSecret = (prefix = ''): string => prefix + randomBytes(32).toString('base64url');
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('base64url');
