/** Meters: the built-in registry plus the custom meters administrators define (immutable once created). */
import { AppError } from '../../core/errors.js';
import { builtInMeterCodes, type Meter } from '../../core/billing/plan.js';
import type { MeterView } from '../../core/schemas/billing.js';
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { builtInMeter, builtInMeters, customMeter, type MeterDefinition } from './meters/index.js';
import { findMeterRow, insertMeter, listMeterRows } from './meter.repository.js';

export function toMeterView(meter: MeterDefinition): MeterView {
  return {
    code: meter.code,
    name: meter.name,
    aggregation: meter.aggregation,
    property: meter.property,
    filter: meter.filter ? { ...meter.filter } : null,
    builtIn: meter.builtIn,
    description: meter.description,
  };
}

export function createMeterService({ db, clock }: Pick<AppContext, 'db' | 'clock'>) {
  // Custom meters never change once created, so a definition, once read, is good forever.
  const cache = new Map<string, MeterDefinition>();

  /**
   * A meter by code. Inside a transaction pass its `tx`: on SQLite the transaction holds the only
   * connection, so a read through `db.kysely` would wait for it forever (a cold cache after a restart).
   */
  async function findMeter(code: string, reader: Kysely<Database> = db.kysely): Promise<MeterDefinition | undefined> {
    const builtIn = builtInMeter(code);
    if (builtIn) return builtIn;
    const cached = cache.get(code);
    if (cached) return cached;
    const row = await findMeterRow(reader, code);
    if (!row) return undefined;
    const meter = customMeter(row);
    cache.set(code, meter);
    return meter;
  }

  return {
    findMeter,

    async requireMeter(code: string, reader: Kysely<Database> = db.kysely): Promise<MeterDefinition> {
      const meter = await findMeter(code, reader);
      if (!meter) throw new AppError('not_found', `Meter not found: ${code}`);
      return meter;
    },

    async createMeter(body: Meter): Promise<MeterView> {
      if ((builtInMeterCodes as readonly string[]).includes(body.code) || (await findMeterRow(db.kysely, body.code))) {
        throw new AppError('conflict', `A meter with the code ${body.code} already exists`, { errors: [{ field: 'code', message: 'is taken' }] });
      }
      const row = {
        code: body.code,
        name: body.name,
        aggregation: body.aggregation,
        property: body.property ?? null,
        filter: body.filter && Object.keys(body.filter).length > 0 ? JSON.stringify(body.filter) : null,
        created_at: clock.now().toISOString(),
      };
      try {
        await insertMeter(db.kysely, row);
      } catch (error) {
        if (await findMeterRow(db.kysely, body.code)) throw new AppError('conflict', `A meter with the code ${body.code} already exists`);
        throw error;
      }
      return toMeterView(customMeter(row));
    },

    async listMeters(): Promise<MeterView[]> {
      const custom = (await listMeterRows(db.kysely)).map(customMeter);
      return [...Object.values(builtInMeters), ...custom].map(toMeterView);
    },
  };
}

export type MeterService = ReturnType<typeof createMeterService>;
