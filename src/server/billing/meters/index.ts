/**
 * The registry of built-in meters. Adding one is a file next to this one and a line below (and its
 * code in `builtInMeterCodes` in core, so plans and the web app know it); custom meters live in the database.
 */
import type { BuiltInMeterCode } from '../../../core/billing/plan.js';
import { activeMembersMeter } from './active-members.meter.js';
import { commentsMeter } from './comments.meter.js';
import type { MeterDefinition } from './meter-definition.js';
import { storageBytesMeter } from './storage-bytes.meter.js';
import { tasksCompletedMeter } from './tasks-completed.meter.js';
import { tasksCreatedMeter } from './tasks-created.meter.js';

export const builtInMeters = {
  active_members: activeMembersMeter,
  tasks_created: tasksCreatedMeter,
  tasks_completed: tasksCompletedMeter,
  comments: commentsMeter,
  storage_bytes: storageBytesMeter,
} satisfies Record<BuiltInMeterCode, MeterDefinition>;

export function builtInMeter(code: string): MeterDefinition | undefined {
  return Object.hasOwn(builtInMeters, code) ? builtInMeters[code as BuiltInMeterCode] : undefined;
}

export { customMeter } from './custom.meter.js';
export type { MeterContext, MeterDefinition, EventCheck, EventReading, TraceSource } from './meter-definition.js';
