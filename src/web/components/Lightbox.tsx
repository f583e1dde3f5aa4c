import { useState } from 'react';
import { useAnimationPlayback } from '../hooks/useAnimationPlayback.js';
import { humanFileSize } from '../lib/file-size.js';
import { Modal } from './Modal.js';
import { PlayToggle } from './PlayToggle.js';

/**
 * An image at full size in a dialog: Escape, the backdrop or Close shut it, and focus goes back to the thumbnail.
 * An animation (`animated`, with `still`, its first frame) plays with a Pause toggle, or, when the user asked for
 * reduced motion, shows the still until they press Play (the name in its place if the still cannot be had). The
 * toggle takes the focus when the dialog opens: one key stops (or starts) the motion; else Close has it (not Download).
 */
export function Lightbox({
  src,
  alt,
  name,
  size,
  width,
  height,
  animated = false,
  still,
  onClose,
}: {
  src: string;
  alt: string;
  name: string;
  size: number;
  width?: number | undefined;
  height?: number | undefined;
  animated?: boolean | undefined;
  still?: string | undefined;
  onClose: () => void;
}) {
  const [playing, setPlaying] = useAnimationPlayback();
  const [stillFailed, setStillFailed] = useState(false);
  const showStill = animated && !playing;
  return (
    <Modal title={name} onClose={onClose} className="lightbox" initialFocus="close">
      <figure className="lightbox-figure">
        <div className="lightbox-media" data-playing={(animated && playing) || undefined}>
          {showStill && (!still || stillFailed) ? (
            <div className="lightbox-placeholder" role="img" aria-label={alt} style={{ aspectRatio: width && height ? `${width} / ${height}` : undefined }}>
              {name}
            </div>
          ) : (
            <img
              className={showStill ? 'lightbox-image lightbox-still' : 'lightbox-image'}
              // The still is a small preview: drawn at the full image's size, Play and Pause do not move the layout.
              style={showStill && width ? { width: `${width}px` } : undefined}
              src={showStill ? still : src}
              alt={alt}
              width={width}
              height={height}
              decoding="async"
              onError={showStill ? () => setStillFailed(true) : undefined}
            />
          )}
          {animated ? <PlayToggle className="lightbox-toggle" playing={playing} name={name} onChange={setPlaying} autofocus /> : null}
        </div>
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
