/** `file`: a chip with the name, the size and a download link; never rendered inline (the server says `attachment`). */
import type { BlockOf } from '../../core/content-types/index.js';
import { humanFileSize } from '../lib/file-size.js';
import { blockRenderer } from './renderer.js';

/** The fields a chip shows; an SVG image (only ever a file) is shown with it too. */
export interface FileChipProps {
  name: string;
  size: number;
  url: string;
  mimeType: string;
}

export function FileChip({ name, size, url, mimeType }: FileChipProps) {
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(name)?.[1]?.toUpperCase() ?? (mimeType.split('/')[1]?.slice(0, 4).toUpperCase() || 'FILE');
  return (
    <div className="file-chip">
      <span className="file-chip-type" aria-hidden="true">
        {extension}
      </span>
      <span className="file-chip-name" title={name}>
        {name}
      </span>
      <span className="file-chip-size">{humanFileSize(size)}</span>
      <a className="file-chip-download" href={url} download={name} aria-label={`Download ${name} (${humanFileSize(size)})`}>
        Download
      </a>
    </div>
  );
}

export function FileBlock({ block }: { block: BlockOf<'file'> }) {
  return <FileChip name={block.name} size={block.size} url={block.url} mimeType={block.mimeType} />;
}

export const renderer = blockRenderer('file', FileBlock, { hint: 'Any file, to download' });
declare module './renderer.js' {
  interface BlockRenderers {
    file: typeof renderer;
  }
}
