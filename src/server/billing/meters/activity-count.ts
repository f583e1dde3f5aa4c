/** Built-in meters that count activity of one type, plus ingested events of the same meter (imports). */
import { Decimal } from '../../../core/billing/decimal.js';
import type { ActivityType } from '../../../core/activity.js';
import { countActivity } from '../usage.repository.js';
import { aggregateIngested, readEventBySpec, type MeterDefinition } from './meter-definition.js';

export function activityCountMeter(code: string, name: string, activityType: ActivityType): MeterDefinition {
  const spec = { aggregation: 'count', property: null, filter: null } as const;
  return {
    code,
    name,
    builtIn: true,
    description: `Count of \`${activityType}\` in the activity log during the period, plus ingested \`${code}\` events.`,
    ...spec,
    readEvent: (event) => readEventBySpec(spec, event),
    async quantity(ctx) {
      const fromLog = await countActivity(ctx.db, ctx.workspaceId, [activityType], ctx.from, ctx.to);
      return new Decimal(fromLog).plus(await aggregateIngested(spec, code, ctx));
    },
    traceSource: (ctx) => ({ eventsFrom: ctx.from, activity: { types: [activityType], from: ctx.from } }),
  };
}
