/**
 * `storage_bytes`: the peak storage of the period, the maximum `value` of ingested `storage_bytes`
 * events (report the workspace's usage whenever it changes, or daily). It reads no live table so that
 * re-rating a past period gives the same invoice.
 */
import { aggregateIngested, readEventBySpec, type MeterDefinition } from './meter-definition.js';

const spec = { aggregation: 'max', property: null, filter: null } as const;

export const storageBytesMeter: MeterDefinition = {
  code: 'storage_bytes',
  name: 'Storage',
  builtIn: true,
  description: 'Peak bytes stored during the period: the maximum value of ingested `storage_bytes` events.',
  ...spec,
  readEvent: (event) => readEventBySpec(spec, event),
  quantity: (ctx) => aggregateIngested(spec, 'storage_bytes', ctx),
  traceSource: (ctx) => ({ eventsFrom: ctx.from, activity: null }),
};
