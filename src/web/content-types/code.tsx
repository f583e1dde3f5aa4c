/** `code`: the text as typed in a monospaced `<pre><code>` (long lines scroll), its language as a caption. No highlighting. */
import type { BlockOf } from '../../core/content-types/index.js';
import { blockRenderer } from './renderer.js';

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

export const renderer = blockRenderer('code', CodeBlock);
declare module './renderer.js' {
  interface BlockRenderers {
    code: typeof renderer;
  }
}
