import { describe, expect, it, vi } from 'vitest';
import type { Member } from '../../core/schemas/index.js';
import { ListMembersCache, ListMembersStore, type MembersApi } from './list-members.store.js';

const member = (userId: string, role: Member['role'] = 'editor') => ({ userId, name: userId, email: `${userId}@example.com`, role }) as unknown as Member;

/** A members API whose answers come only when the test says so, each with what the server had when asked. */
function slowApi() {
  const answers: ((members: Member[]) => void)[] = [];
  const api: MembersApi = { listMembers: vi.fn(() => new Promise<Member[]>((resolve) => answers.push(resolve))) };
  return { api, answers };
}

const ids = (store: ListMembersStore) => store.getSnapshot().members.map((shown) => shown.userId);

describe('ListMembersStore.reload', () => {
  it('a change announced while a load is on its way is loaded after it (the load may predate the change)', async () => {
    const { api, answers } = slowApi();
    const store = new ListMembersStore('l', api);
    const first = store.reload();
    store.reload(); // someone joined; the load above was asked before
    store.reload(); // several announcements: still one more load
    answers[0]!([member('ada', 'owner')]);
    await vi.waitFor(() => expect(answers).toHaveLength(2));
    expect(ids(store)).toEqual(['ada']);
    answers[1]!([member('ada', 'owner'), member('bea')]);
    await first;
    expect(ids(store)).toEqual(['ada', 'bea']);
    expect(api.listMembers).toHaveBeenCalledTimes(2);
  });

  it('loads once when nothing changed meanwhile', async () => {
    const { api, answers } = slowApi();
    const store = new ListMembersStore('l', api);
    const loading = store.ensureLoaded();
    store.ensureLoaded();
    answers[0]!([member('ada', 'owner')]);
    await loading;
    expect(api.listMembers).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().status).toBe('ready');
  });
});

describe('ListMembersCache', () => {
  it("asks again for a list's members when told they changed, and not at all for a list the user lost", async () => {
    const api: MembersApi = { listMembers: vi.fn(async () => [member('ada', 'owner')]) };
    const cache = new ListMembersCache(api);
    await cache.of('l').ensureLoaded();
    cache.invalidate('l');
    await vi.waitFor(() => expect(api.listMembers).toHaveBeenCalledTimes(2));
    cache.forget('l');
    cache.invalidate('l');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(api.listMembers).toHaveBeenCalledTimes(2);
  });
});
