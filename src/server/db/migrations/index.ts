/** The ordered list of migrations. Append only; never edit a migration that has shipped. */
import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-collaboration.js';
import * as m0003 from './0003-uploads.js';
import * as m0004 from './0004-billing.js';
import * as m0005 from './0005-upload-release.js';
import * as m0006 from './0006-task-search.js';
import * as m0007 from './0007-search-folding.js';
import * as m0008 from './0008-trash-index.js';
import * as m0009 from './0009-mutation-lookup.js';
import * as m0010 from './0010-preview-failure.js';
import * as m0011 from './0011-upload-released-from.js';
import * as m0012 from './0012-search-punctuation.js';
import * as m0013 from './0013-workspace-invitations.js';
import * as m0014 from './0014-one-open-phase.js';
import * as m0015 from './0015-due-tasks-index.js';
import * as m0016 from './0016-content-deletions.js';
import * as m0017 from './0017-task-recurrence.js';

export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-collaboration': m0002,
  '0003-uploads': m0003,
  '0004-billing': m0004,
  '0005-upload-release': m0005,
  '0006-task-search': m0006,
  '0007-search-folding': m0007,
  '0008-trash-index': m0008,
  '0009-mutation-lookup': m0009,
  '0010-preview-failure': m0010,
  '0011-upload-released-from': m0011,
  '0012-search-punctuation': m0012,
  '0013-workspace-invitations': m0013,
  '0014-one-open-phase': m0014,
  '0015-due-tasks-index': m0015,
  '0016-content-deletions': m0016,
  '0017-task-recurrence': m0017,
};
