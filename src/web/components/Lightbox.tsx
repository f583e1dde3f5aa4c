import { humanFileSize } from '../lib/file-size.js';
import { Modal } from './Modal.js';

/** An image at full size in a dialog: Escape, the backdrop or Close shut it, and focus goes back to the thumbnail. */
export function Lightbox({
  src,
  alt,
  name,
  size,
  width,
  height,
  onClose,
}: {
  src: string;
  alt: string;
  name: string;
  size: number;
  width?: number | undefined;
  height?: number | undefined;
  onClose: () => void;
}) {
  return (
    <Modal title={name} onClose={onClose} className="lightbox">
      <figure className="lightbox-figure">
        <img className="lightbox-image" src={src} alt={alt} width={width} height={height} decoding="async" />
        <figcaption className="lightbox-caption">
          {width && height ? `${width} × ${height} · ` : ''}
          {humanFileSize(size)} ·{' '}
          <a href={src} download={name}>
            Download
          </a>
        </figcaption>
      </figure>
    </Modal>
  );
}
