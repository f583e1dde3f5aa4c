import { describe, expect, it } from 'vitest';
import { RemotePresence } from './remote-presence.js';

const ada = { userId: 'ada', name: 'Ada' };
const bob = { userId: 'bob', name: 'Bob' };

describe('RemotePresence', () => {
  it('shows what each node last reported, until that node has been silent for the time to live', () => {
    const presence = new RemotePresence(1_000);
    presence.set('node-a', 'list', [ada], 0);
    presence.set('node-b', 'list', [bob], 500);
    expect(presence.viewers('list', 900)).toEqual([ada, bob]);
    expect(presence.viewers('list', 1_200)).toEqual([bob]); // node-a went quiet
    presence.set('node-a', 'list', [], 1_300); // node-a's viewer left
    expect(presence.viewers('list', 1_400)).toEqual([bob]);
  });

  it('expire forgets a dead node and names the lists that lost a viewer, once', () => {
    const presence = new RemotePresence(1_000);
    presence.set('dead', 'shown', [ada], 0);
    presence.set('dead', 'empty', [], 0);
    presence.set('alive', 'other', [bob], 0);
    expect(presence.expire(999)).toEqual([]);
    presence.set('alive', 'other', [bob], 900);
    expect(presence.expire(1_001)).toEqual(['shown']);
    expect(presence.viewers('shown', 1_001)).toEqual([]);
    expect(presence.viewers('other', 1_001)).toEqual([bob]);
    expect(presence.expire(1_002)).toEqual([]);
  });
});
