import Markdown, { type Components } from 'react-markdown';
import { safeUrl } from '../lib/safe-url.js';
import { MarkdownLink } from './MarkdownLink.js';

// Links open in a new tab without giving it a handle on this one; images become links (no tracking
// pixels loading in everyone's browser just by reading a comment).
const components: Components = {
  a: MarkdownLink,
  img: ({ src, alt }) =>
    typeof src === 'string' && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow">
        {alt || src}
      </a>
    ) : (
      <>{alt}</>
    ),
};

/**
 * Markdown written by people (comments): raw HTML is dropped (`skipHtml`), and only http(s), mailto
 * and relative links are kept (`safeUrl`), so a comment can never run script or load foreign content.
 */
export function MarkdownText({ source }: { source: string }) {
  return (
    <div className="markdown" dir="auto">
      <Markdown skipHtml urlTransform={safeUrl} components={components}>
        {source}
      </Markdown>
    </div>
  );
}
