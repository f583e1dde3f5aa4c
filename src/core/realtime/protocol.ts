/**
 * The WebSocket protocol of `GET /api/v1/realtime`: one discriminated union per direction,
 * parsed by both the server and the web client.
 */
import { z } from 'zod';
import { activityTypes } from '../activity.js';
import { idSchema } from '../schemas/common.js';

const listId = idSchema;

export const clientMessageSchema = z.discriminatedUnion('type', [
  /** Start receiving a list's changes; with `sinceVersion`, first replay every change after it. */
  z.strictObject({ type: z.literal('subscribe'), listId, sinceVersion: z.number().int().min(0).optional() }),
  z.strictObject({ type: z.literal('unsubscribe'), listId }),
  /** Ask again for changes after `sinceVersion` (the client saw a gap). */
  z.strictObject({ type: z.literal('replay'), listId, sinceVersion: z.number().int().min(0) }),
  /** Application-level heartbeat for clients that cannot send WebSocket pings (browsers). */
  z.strictObject({ type: z.literal('ping'), id: z.string().max(64).optional() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const viewerSchema = z.object({ userId: z.string(), name: z.string() });
export type Viewer = z.infer<typeof viewerSchema>;

export const changeMessageSchema = z.object({
  type: z.literal('change'),
  listId: z.string(),
  version: z.number().int(),
  change: z.enum(activityTypes),
  actorId: z.string().nullable(),
  taskId: z.string().nullable(),
  /** The Idempotency-Key of the request that caused it: the writer matches its optimistic update. */
  mutationId: z.string().nullable(),
  at: z.string(),
  /** The changed entity (`task` or `list`) and details. */
  data: z.record(z.string(), z.unknown()),
});
export type ChangeMessage = z.infer<typeof changeMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), userId: z.string(), heartbeatMs: z.number() }),
  z.object({ type: z.literal('subscribed'), listId: z.string(), version: z.number().int() }),
  z.object({ type: z.literal('unsubscribed'), listId: z.string() }),
  changeMessageSchema,
  /** The gap is older than the server replays: fetch the list again, then subscribe from its version. */
  /** `ended`: the server dropped the subscription (its delivery failed): subscribe again after the refetch. */
  z.object({ type: z.literal('resync'), listId: z.string(), version: z.number().int(), ended: z.boolean().optional() }),
  /** Access to the list ended; nothing more of it will be sent. */
  z.object({ type: z.literal('revoked'), listId: z.string() }),
  z.object({ type: z.literal('presence'), listId: z.string(), viewers: z.array(viewerSchema) }),
  /** The user's own channel: lists shared or removed, invitations, notifications. */
  z.object({ type: z.literal('user'), event: z.string(), data: z.unknown() }),
  z.object({ type: z.literal('pong'), id: z.string().optional() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string(), listId: z.string().optional() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

export const realtimeLimits = {
  maxFrameBytes: 64 * 1024,
  /** Sustained messages per second a client may send, and the burst above it. */
  messagesPerSecond: 20,
  messageBurst: 60,
  heartbeatMs: 25_000,
  /** Beyond this many missed changes the server asks the client to refetch instead of replaying. */
  maxReplay: 1_000,
  /**
   * Nor beyond this many bytes of changes (each carries its whole task, up to a megabyte): well under what a socket may
   * have waiting before it is dropped (8 MiB), or a big replay would drop the socket, and its reconnect ask it again.
   */
  maxReplayBytes: 4 * 1024 * 1024,
  /**
   * Changes a client may have replayed (`subscribe` with `sinceVersion`, `replay`): sustained per second, and
   * the burst above it. A replay beyond what is left is answered with `resync` (refetch) instead: one small
   * message must not buy a thousand frames over and over.
   */
  replayedPerSecond: 500,
  replayedBurst: 2_000,
  presenceThrottleMs: 1_000,
} as const;

/** WebSocket close codes the server uses. */
export const closeCodes = { policyViolation: 1008, messageTooBig: 1009, goingAway: 1001 } as const;
