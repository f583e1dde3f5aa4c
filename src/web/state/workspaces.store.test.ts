import { describe, expect, it, vi } from 'vitest';
import type { WorkspaceSummary } from '../../core/schemas/index.js';
import { WorkspacesStore, type WorkspacesApi } from './workspaces.store.js';

const personal: WorkspaceSummary = { id: 'p', name: 'Ada', kind: 'personal', role: 'admin' };
const team: WorkspaceSummary = { id: 't', name: 'Acme', kind: 'team', role: 'member' };

class MemoryStorage {
  values = new Map<string, string>();
  getItem = (key: string) => this.values.get(key) ?? null;
  setItem = (key: string, value: string) => void this.values.set(key, value);
}

const api = (): WorkspacesApi => ({
  listWorkspaces: vi.fn(async () => [team, personal]),
  createWorkspace: vi.fn(async (name: string) => ({ id: 'n', name, kind: 'team' as const, role: 'admin' as const })),
});

describe('WorkspacesStore', () => {
  it('starts on the personal workspace, personal first', () => {
    const store = new WorkspacesStore(api(), 'u', [team, personal], new MemoryStorage());
    expect(store.getSnapshot().selected?.id).toBe('p');
    expect(store.getSnapshot().workspaces.map((w) => w.id)).toEqual(['p', 't']);
  });

  it('remembers the choice per user, and ignores workspaces that are not the user’s', () => {
    const storage = new MemoryStorage();
    const store = new WorkspacesStore(api(), 'u', [personal, team], storage);
    store.select('t');
    store.select('someone-elses');
    expect(store.getSnapshot().selected?.id).toBe('t');
    expect(new WorkspacesStore(api(), 'u', [personal, team], storage).getSnapshot().selected?.id).toBe('t');
    expect(new WorkspacesStore(api(), 'other', [personal, team], storage).getSnapshot().selected?.id).toBe('p');
  });

  it('falls back to personal when the remembered workspace is gone', () => {
    const storage = new MemoryStorage();
    storage.setItem('listo.workspace.u', 'left-it');
    expect(new WorkspacesStore(api(), 'u', [personal], storage).getSnapshot().selected?.id).toBe('p');
  });

  it('chooses a workspace it creates', async () => {
    const store = new WorkspacesStore(api(), 'u', [personal], new MemoryStorage());
    await store.create('Team');
    expect(store.getSnapshot().selected).toMatchObject({ id: 'n', name: 'Team', role: 'admin' });
    expect(store.isMine('n')).toBe(true);
  });
});

describe('WorkspacesStore.applyJoined', () => {
  it('shows a workspace joined by invitation at once, and a refresh sent before the joining does not take it away', async () => {
    let answer: (value: WorkspaceSummary[]) => void = () => undefined;
    const fake = { ...api(), listWorkspaces: vi.fn(() => new Promise<WorkspaceSummary[]>((resolve) => (answer = resolve))) };
    const store = new WorkspacesStore(fake, 'u', [personal], new MemoryStorage());
    const refreshing = store.refresh();
    store.applyJoined(team);
    expect(store.getSnapshot().workspaces.map((w) => w.id)).toEqual(['p', 't']);
    answer([personal]);
    await refreshing;
    expect(store.isMine('t')).toBe(true);
    store.select('t');
    expect(store.getSnapshot().selected).toEqual(team);
  });
});

describe('WorkspacesStore.noticeWorkspace', () => {
  it('refreshes once for a workspace it does not know, never for its own', async () => {
    const fake = api();
    const store = new WorkspacesStore(fake, 'u', [personal], new MemoryStorage());
    store.noticeWorkspace('p');
    store.noticeWorkspace('t');
    store.noticeWorkspace('t');
    await vi.waitFor(() => expect(store.isMine('t')).toBe(true));
    expect(fake.listWorkspaces).toHaveBeenCalledTimes(1);
  });
});

describe('WorkspacesStore.refresh', () => {
  it('keeps a workspace created while a refresh was on its way (its answer was read before), and chosen', async () => {
    let answer!: (workspaces: WorkspaceSummary[]) => void;
    const fake: WorkspacesApi = {
      listWorkspaces: vi.fn(() => new Promise<WorkspaceSummary[]>((resolve) => (answer = resolve))),
      createWorkspace: vi.fn(async (name: string) => ({ id: 'n', name, kind: 'team' as const, role: 'admin' as const })),
    };
    const store = new WorkspacesStore(fake, 'u', [personal], new MemoryStorage());
    const refreshing = store.refresh(); // e.g. the window got focus
    await store.create('Team');
    answer([personal]);
    await refreshing;
    expect(store.getSnapshot().workspaces.map((w) => w.id)).toEqual(['p', 'n']);
    expect(store.getSnapshot().selected?.id).toBe('n');
  });
});
