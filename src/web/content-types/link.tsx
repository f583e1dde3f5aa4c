/** `link`: opens in a new tab without a handle on this one; only http(s) (anything else shows as plain text). */
import type { BlockOf } from '../../core/content-types/index.js';
import { link } from '../../core/content-types/link.js';
import { BlockForm } from './parts/block-form.js';
import { blockRenderer, type BlockEditorProps } from './renderer.js';
import { allowedLinkUrl } from './safe-link.js';

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

/** A link's address (http or https) and optional title, checked with core's schema. */
export function LinkEditor({ block, onSave, onCancel }: BlockEditorProps<'link'>) {
  return (
    <BlockForm
      type="link"
      label="Link block"
      schema={link.payloadSchema}
      fields={[
        { name: 'url', label: 'Link address', kind: 'url', placeholder: 'https://…' },
        { name: 'title', label: 'Title', optional: true, maxLength: link.limits.maxTitle },
      ]}
      initial={{ url: block?.url ?? '', title: block?.title ?? '' }}
      saveLabel={block ? 'Save link' : 'Add link'}
      onSave={onSave}
      onCancel={onCancel}
    />
  );
}

export const renderer = blockRenderer('link', LinkBlock, { hint: 'A web address', editor: LinkEditor });
declare module './renderer.js' {
  interface BlockRenderers {
    link: typeof renderer;
  }
}
