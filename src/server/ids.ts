/** Row ids: UUIDv7, so ids sort by creation time and make stable pagination cursors. */
import { v7 } from 'uuid';

export const newId = (): string => v7();
