/** What every service receives: configuration, storage, time, logging and the change bus. */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Clock } from './clock.js';
import type { Db } from './db/database.js';
import type { ChangeBus } from './realtime/change-bus.js';

export interface AppContext {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  bus: ChangeBus;
}
