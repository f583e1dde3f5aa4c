/** `text`: Markdown without raw HTML (`skipHtml`), only the elements core allows, links to http(s)/mailto only. */
import { lazy, Suspense } from 'react';
import type { BlockOf } from '../../core/content-types/index.js';
import { markdownToPlainText } from '../../core/content-types/text.js';
import { blockRenderer } from './renderer.js';

const TextMarkdown = lazy(() => import('./parts/text-markdown.js'));

export function TextBlock({ block }: { block: BlockOf<'text'> }) {
  return (
    <div className="markdown block-text">
      {/* Until the Markdown engine has loaded: the same words, plain. */}
      <Suspense fallback={<p className="block-text-plain">{markdownToPlainText(block.text)}</p>}>
        <TextMarkdown source={block.text} />
      </Suspense>
    </div>
  );
}

export const renderer = blockRenderer('text', TextBlock);
declare module './renderer.js' {
  interface BlockRenderers {
    text: typeof renderer;
  }
}
