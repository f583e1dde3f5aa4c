import { describeRecurrence, type Recurrence } from '../../core/recurrence.js';
import { Icon } from './Icon.js';

/** The small repeat icon of a repeating task's row; its rule in words is its name and tooltip. */
export function RepeatMark({ rule }: { rule: Recurrence | null }) {
  if (rule === null) return null;
  const words = `Repeats ${describeRecurrence(rule)}`;
  return (
    <span className="repeat-mark" role="img" aria-label={words} title={words}>
      <Icon name="repeat" size={14} />
    </span>
  );
}
