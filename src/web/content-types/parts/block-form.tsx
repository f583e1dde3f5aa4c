/**
 * The form an editor made of labelled fields is (link, quote, code): its fields, checked with the type's core
 * payload schema on save, each refusal shown under its field; Save/Cancel buttons, Ctrl/⌘+Enter saves, Escape cancels.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { z } from 'zod';
import { blockCandidate, checkBlock, formKeyAction, isMultiline, saveShortcut, type BlockFieldSpec } from '../block-form.js';

export interface BlockFormProps<Name extends string, Output> {
  /** The content type's id, the block's `type`. */
  readonly type: string;
  /** The form's accessible name ("Code block"). */
  readonly label: string;
  readonly fields: readonly BlockFieldSpec<Name>[];
  /** The fields' values when the form opens (the block being changed, or blanks). */
  readonly initial: Readonly<Record<Name, string>>;
  /** The type's payload schema from core: what it accepts is what the server accepts. */
  readonly schema: z.ZodType<Output>;
  /** The submit button's text ("Add code", "Save code"). */
  readonly saveLabel: string;
  readonly onSave: (block: Output) => void;
  readonly onCancel: () => void;
}

export function BlockForm<Name extends string, Output>({ type, label, fields, initial, schema, saveLabel, onSave, onCancel }: BlockFormProps<Name, Output>) {
  const [values, setValues] = useState<Readonly<Record<Name, string>>>(initial);
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  /** Moves the focus to the first refused field once its message is on screen. */
  const [focusFirstError, setFocusFirstError] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  const fieldId = (name: string) => `${id}-${name}`;
  const multiline = fields.some(isMultiline);

  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, textarea')?.focus();
  }, []);
  useEffect(() => {
    if (focusFirstError > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusFirstError]);

  const save = () => {
    const checked = checkBlock(schema, blockCandidate(type, fields, values), fields);
    if (checked.ok) {
      onSave(checked.block);
      return;
    }
    setErrors(checked.errors);
    setFocusFirstError((count) => count + 1);
  };

  return (
    <form
      ref={form}
      className="block-form"
      aria-label={label}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
      onKeyDown={(event) => {
        const action = formKeyAction({ key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, isComposing: event.nativeEvent.isComposing });
        if (!action) return;
        event.preventDefault();
        // Escape cancels the editor, not the dialog around it.
        event.stopPropagation();
        if (action === 'save') save();
        else onCancel();
      }}
    >
      {fields.map((field) => {
        const error = errors[field.name];
        const errorId = `${fieldId(field.name)}-error`;
        const common = {
          id: fieldId(field.name),
          name: field.name,
          value: values[field.name],
          maxLength: field.maxLength,
          placeholder: field.placeholder,
          'aria-invalid': error ? true : undefined,
          'aria-describedby': error ? errorId : undefined,
          onChange: (event: { target: { value: string } }) => {
            const value = event.target.value;
            setValues((current) => ({ ...current, [field.name]: value }));
            if (error) setErrors(({ [field.name]: _fixed, ...rest }) => rest);
          },
        };
        return (
          <div key={field.name} className="block-form-field">
            <label htmlFor={fieldId(field.name)}>
              {field.label}
              {field.optional ? ' (optional)' : ''}
            </label>
            {field.kind === 'code' ? (
              <textarea {...common} className="details-notes block-form-code" rows={6} spellCheck={false} autoCapitalize="off" autoCorrect="off" wrap="off" />
            ) : field.kind === 'lines' ? (
              <textarea {...common} className="details-notes" rows={3} />
            ) : (
              <input {...common} className="text-input" type={field.kind === 'url' ? 'url' : 'text'} inputMode={field.kind === 'url' ? 'url' : undefined} />
            )}
            {error ? (
              <p id={errorId} className="block-error" role="alert">
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
      {errors[''] ? (
        <p className="block-error" role="alert">
          {errors['']}
        </p>
      ) : null}
      <div className="block-form-actions">
        <button type="submit" className="button button-primary button-small">
          {saveLabel}
        </button>
        <button type="button" className="button button-small" onClick={onCancel}>
          Cancel
        </button>
        <span className="block-editor-hint">{multiline ? `${saveShortcut} to save, Escape to cancel.` : 'Escape to cancel.'}</span>
      </div>
    </form>
  );
}
