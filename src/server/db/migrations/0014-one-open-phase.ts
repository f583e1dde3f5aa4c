import { sql, type Kysely } from 'kysely';

/**
 * At most one open plan phase per subscription (`ends_at` null), enforced by the database: a unique partial index,
 * which SQLite and PostgreSQL both build from the same statement. Two plan changes at once could leave two open
 * before eb00a64, and then the rest of every period was billed under both plans.
 *
 * A subscription that still has several is mended first, so the index can be built and the server starts. The
 * phase kept open is the first in phase order (start, creation, id): the one billing already took as the plan in
 * force (`phaseAt` finds the first), whose fee in advance the previous invoice charged for the open period. Each
 * other one ends at the start of the subscription's open period (or at its own start if it began in that period):
 * every period that has an invoice, finalized or draft, keeps the phases it was rated with, so no invoice re-rates
 * differently (no "late usage" adjustment appears for it); the open period, not invoiced yet, is billed under one
 * plan. What was over-billed before is left to finance (credit notes): each phase ended here is recorded in
 * `billing_phase_repairs`, and the migration says how many on stderr.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('billing_phase_repairs')
    .addColumn('phase_id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    // Null only for a phase whose subscription row is gone.
    .addColumn('workspace_id', 'text')
    .addColumn('plan_code', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    // The end this migration gave the phase (it had none).
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('kept_phase_id', 'text', (c) => c.notNull())
    .addColumn('kept_plan_code', 'text', (c) => c.notNull())
    .addColumn('repaired_at', 'text', (c) => c.notNull())
    .execute();

  const open = (await db
    .selectFrom('billing_subscription_phases as p')
    .leftJoin('billing_subscriptions as s', 's.id', 'p.subscription_id')
    .select(['p.id', 'p.subscription_id', 'p.plan_code', 'p.starts_at', 's.workspace_id', 's.current_period_start'])
    .where('p.ends_at', 'is', null)
    .where(
      'p.subscription_id',
      'in',
      db
        .selectFrom('billing_subscription_phases')
        .select('subscription_id')
        .where('ends_at', 'is', null)
        .groupBy('subscription_id')
        .having(sql`count(*)`, '>', 1),
    )
    .orderBy('p.subscription_id')
    .orderBy('p.starts_at')
    .orderBy('p.created_at')
    .orderBy('p.id')
    .execute()) as Array<{
    id: string;
    subscription_id: string;
    plan_code: string;
    starts_at: string;
    workspace_id: string | null;
    current_period_start: string | null;
  }>;

  const repairedAt = new Date().toISOString();
  let kept: (typeof open)[number] | null = null;
  for (const phase of open) {
    if (kept?.subscription_id !== phase.subscription_id) {
      kept = phase;
      continue;
    }
    const openPeriodStart = phase.current_period_start;
    const endsAt = openPeriodStart !== null && Date.parse(openPeriodStart) > Date.parse(phase.starts_at) ? openPeriodStart : phase.starts_at;
    await db.updateTable('billing_subscription_phases').set({ ends_at: endsAt }).where('id', '=', phase.id).where('ends_at', 'is', null).execute();
    await db
      .insertInto('billing_phase_repairs')
      .values({
        phase_id: phase.id,
        subscription_id: phase.subscription_id,
        workspace_id: phase.workspace_id,
        plan_code: phase.plan_code,
        starts_at: phase.starts_at,
        ends_at: endsAt,
        kept_phase_id: kept.id,
        kept_plan_code: kept.plan_code,
        repaired_at: repairedAt,
      })
      .execute();
  }
  const ended = open.length - new Set(open.map((phase) => phase.subscription_id)).size;
  if (ended > 0) {
    console.warn(
      `[listo migration 0014] ${ended} plan phase(s) of ${open.length - ended} subscription(s) were open alongside another (two plan changes at once, ` +
        "before eb00a64): each now ends where its subscription's open period starts; invoices already drafted or issued are unchanged and may have " +
        'billed both plans. They are listed in billing_phase_repairs for finance.',
    );
  }

  await db.schema
    .createIndex('billing_phases_one_open')
    .on('billing_subscription_phases')
    .column('subscription_id')
    .unique()
    .where(sql.ref('ends_at'), 'is', null)
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
