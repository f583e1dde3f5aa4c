import type { Kysely } from 'kysely';

/**
 * Invitations to a team workspace. Until now an admin added anyone with an account by email, without asking them,
 * and the answer said whether the address had an account; now the person accepts an invitation, as for a list.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspace_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    // SHA-256 of the single-use secret; the secret itself is only in the invitation link.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('responded_at', 'text')
    .addColumn('accepted_by', 'text')
    .execute();
  await db.schema.createIndex('workspace_invitations_email_status').on('workspace_invitations').columns(['email', 'status']).execute();
  await db.schema.createIndex('workspace_invitations_workspace_status').on('workspace_invitations').columns(['workspace_id', 'status']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Listo migrations are forward-only');
}
