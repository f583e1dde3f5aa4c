import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export async function findTaxRate(db: Kysely<Database>, workspaceId: string): Promise<string> {
  const row = await db.selectFrom('billing_workspace_settings').select('tax_rate').where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row?.tax_rate ?? '0';
}

export const upsertTaxRate = (db: Kysely<Database>, workspaceId: string, taxRate: string, updatedAt: string) =>
  db
    .insertInto('billing_workspace_settings')
    .values({ workspace_id: workspaceId, tax_rate: taxRate, updated_at: updatedAt })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ tax_rate: taxRate, updated_at: updatedAt }))
    .execute();
