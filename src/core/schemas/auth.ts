import { z } from 'zod';
import { limits } from '../limits.js';
import { idSchema, personName } from './common.js';

export const emailSchema = z
  .email({ message: 'must be a valid email address' })
  .max(limits.emailMax)
  .transform((email) => email.toLowerCase());

export const passwordSchema = z
  .string()
  .min(limits.passwordMin, { message: `must be at least ${limits.passwordMin} characters` })
  .max(limits.passwordMax, { message: `must be at most ${limits.passwordMax} characters` });

export const signupBody = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: personName(limits.nameMax),
});
export type SignupBody = z.infer<typeof signupBody>;

export const loginBody = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(limits.passwordMax),
});
export type LoginBody = z.infer<typeof loginBody>;

export const userSchema = z.object({ id: idSchema, email: z.string(), name: z.string() });
export type User = z.infer<typeof userSchema>;

export const workspaceSummarySchema = z.object({
  id: idSchema,
  name: z.string(),
  kind: z.enum(['personal', 'team']),
  role: z.enum(['admin', 'member', 'guest']),
});
export type WorkspaceSummary = z.infer<typeof workspaceSummarySchema>;

export const authResponse = z.object({ user: userSchema });
export const meResponse = z.object({
  user: userSchema.extend({ isAdmin: z.boolean() }),
  workspaces: z.array(workspaceSummarySchema),
});
export type Me = z.infer<typeof meResponse>;

/** `GET /api/v1/auth/session`: who is signed in, if anyone; asking is never an error. */
export const sessionResponse = z.object({ me: meResponse.nullable() });

export const createTokenBody = z.strictObject({ name: z.string().trim().min(1).max(limits.tokenNameMax) });
export const tokenSchema = z.object({
  id: idSchema,
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof tokenSchema>;
/** The secret is in this response only; the server keeps a hash. */
export const createdTokenSchema = tokenSchema.extend({ token: z.string() });
