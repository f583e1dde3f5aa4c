import type { Recurrence } from '../../core/recurrence.js';
import { localDateString } from '../lib/due-dates.js';
import { describeRule } from '../lib/repeat-rules.js';
import { Icon } from './Icon.js';

/** The small repeat icon of a repeating task's row; its rule in words is its name and tooltip. */
export function RepeatMark({ rule }: { rule: Recurrence | null }) {
  if (rule === null) return null;
  const words = `Repeats ${describeRule(rule, { today: localDateString(new Date()) })}`;
  return (
    <span className="repeat-mark" role="img" aria-label={words} title={words}>
      <Icon name="repeat" size={14} />
    </span>
  );
}
