/** Meters an administrator defines (`POST /api/v1/billing/meters`): an aggregation over ingested events. */
import type { AggregationType, FilterValue } from '../../../core/billing/aggregations.js';
import type { BillingMetersTable } from '../../db/schema.js';
import { aggregateIngested, readEventBySpec, type MeterDefinition } from './meter-definition.js';

export function customMeter(row: BillingMetersTable): MeterDefinition {
  const spec = {
    aggregation: row.aggregation as AggregationType,
    property: row.property,
    filter: row.filter ? (JSON.parse(row.filter) as Record<string, FilterValue>) : null,
  };
  return {
    code: row.code,
    name: row.name,
    builtIn: false,
    description: null,
    ...spec,
    readEvent: (event) => readEventBySpec(spec, event),
    quantity: (ctx) => aggregateIngested(spec, row.code, ctx),
    traceSource: (ctx) => ({ eventsFrom: ctx.from, activity: null }),
  };
}
