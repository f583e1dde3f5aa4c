/** Factories for collaboration tests: share a list with someone, bring someone into a team workspace. */
import type { ApiClient } from './client.js';

type Person = { client: ApiClient; email: string; user: { id: string } };

/** The owner (or any member allowed to) invites `member` with `role`; the member accepts in the app. */
export async function shareList(inviter: ApiClient, listId: string, member: Person, role: string) {
  const invited = await inviter.post(`/api/v1/lists/${listId}/members`, { email: member.email, role });
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const accepted = await member.client.post(`/api/v1/invitations/${invited.body.invitation.id}/accept`);
  if (accepted.status !== 200) throw new Error(`acceptance failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return invited.body as { invitation: { id: string }; inviteUrl: string };
}

export async function createTeamWorkspace(client: ApiClient, name = 'Team') {
  const response = await client.post('/api/v1/workspaces', { name });
  if (response.status !== 201) throw new Error(`workspace creation failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string; kind: 'team'; role: 'admin' };
}

/** The admin invites `person` to the workspace with `role`; they accept in the app. */
export async function addToWorkspace(admin: ApiClient, workspaceId: string, person: Person, role: 'admin' | 'member' | 'guest') {
  const invited = await admin.post(`/api/v1/workspaces/${workspaceId}/members`, { email: person.email, role });
  if (invited.status !== 202) throw new Error(`workspace invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const accepted = await person.client.post(`/api/v1/workspace-invitations/${invited.body.invitation.id}/accept`);
  if (accepted.status !== 200) throw new Error(`workspace invitation acceptance failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return invited.body as { invitation: { id: string }; inviteUrl: string };
}

/** The token from an invitation or share link URL (`/invite#<token>`). */
export const tokenOf = (url: string) => url.slice(url.indexOf('#') + 1);
