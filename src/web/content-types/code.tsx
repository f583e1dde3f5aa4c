/** `code`: the text as typed in a monospaced `<pre><code>` (long lines scroll), its language as a caption. No highlighting. */
import type { BlockOf } from '../../core/content-types/index.js';
import { code } from '../../core/content-types/code.js';
import { BlockForm } from './parts/block-form.js';
import { blockRenderer, type BlockEditorProps } from './renderer.js';

export function CodeBlock({ block }: { block: BlockOf<'code'> }) {
  return (
    <div className="markdown block-text block-code">
      {block.language ? <p className="muted-note block-code-language">{block.language}</p> : null}
      {/* Focusable, so that a keyboard can scroll a long line. */}
      <pre tabIndex={0} aria-label={block.language ? `${block.language} code` : 'Code'}>
        <code>{block.code}</code>
      </pre>
    </div>
  );
}

/** The code, in a monospaced box where Enter is a new line and indentation is kept, and its optional language, checked with core's schema. */
export function CodeEditor({ block, onSave, onCancel }: BlockEditorProps<'code'>) {
  return (
    <BlockForm
      type="code"
      label="Code block"
      schema={code.payloadSchema}
      fields={[
        { name: 'code', label: 'Code', kind: 'code', maxLength: code.limits.maxChars },
        { name: 'language', label: 'Language', optional: true, maxLength: code.limits.maxLanguage, placeholder: 'e.g. TypeScript' },
      ]}
      initial={{ code: block?.code ?? '', language: block?.language ?? '' }}
      saveLabel={block ? 'Save code' : 'Add code'}
      onSave={onSave}
      onCancel={onCancel}
    />
  );
}

export const renderer = blockRenderer('code', CodeBlock, { hint: 'Shown exactly as typed, monospaced', editor: CodeEditor });
declare module './renderer.js' {
  interface BlockRenderers {
    code: typeof renderer;
  }
}
