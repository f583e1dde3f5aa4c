/** `link`: opens in a new tab without a handle on this one; only http(s) (anything else shows as plain text). */
import type { BlockOf } from '../../core/content-types/index.js';
import { allowedLinkUrl } from './safe-link.js';
import { blockRenderer } from './renderer.js';

export function LinkBlock({ block }: { block: BlockOf<'link'> }) {
  const href = allowedLinkUrl(block.url, ['http', 'https']);
  const label = block.title || block.url;
  return (
    <div className="block-link">
      <span className="block-link-icon" aria-hidden="true">
        ↗
      </span>
      {href ? (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {label}
        </a>
      ) : (
        <span>{label}</span>
      )}
      {block.title ? <span className="block-link-url">{block.url}</span> : null}
    </div>
  );
}

export const renderer = blockRenderer('link', LinkBlock);
declare module './renderer.js' {
  interface BlockRenderers {
    link: typeof renderer;
  }
}
