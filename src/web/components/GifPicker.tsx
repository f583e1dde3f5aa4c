import { useEffect, useId, useRef, useState } from 'react';
import type { ProviderGifBlock } from '../../core/content-types/gif.js';
import type { GifSearchItem } from '../../core/schemas/uploads.js';
import { toApiError } from '../api/client.js';
import { gifsApi } from '../api/uploads.js';
import { usePrefersReducedMotion } from '../hooks/usePrefersReducedMotion.js';
import { Modal } from './Modal.js';

type Config = { status: 'loading' } | { status: 'ready'; enabled: boolean };
type Results = { status: 'idle' } | { status: 'searching' } | { status: 'done'; items: GifSearchItem[] } | { status: 'error'; message: string };

const searchDelayMs = 300;

/** The search result as a block (stored by reference to the provider's media). */
export function gifBlockOf(item: GifSearchItem): ProviderGifBlock {
  return {
    type: 'gif',
    provider: item.provider,
    providerId: item.providerId,
    url: item.url,
    width: item.width,
    height: item.height,
    ...(item.posterUrl ? { posterUrl: item.posterUrl } : {}),
    ...(item.title ? { title: item.title } : {}),
  };
}

/**
 * Adds a GIF: search (when the server has a provider, `GET /gifs/config`) or upload one. Without a provider the
 * picker offers upload only.
 */
export function GifPicker({ onPick, onUpload, onClose }: { onPick: (block: ProviderGifBlock) => void; onUpload: () => void; onClose: () => void }) {
  const [config, setConfig] = useState<Config>({ status: 'loading' });
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Results>({ status: 'idle' });
  const reducedMotion = usePrefersReducedMotion();
  const id = useId();

  useEffect(() => {
    let live = true;
    gifsApi
      .config()
      .then((answer) => live && setConfig({ status: 'ready', enabled: answer.enabled }))
      .catch(() => live && setConfig({ status: 'ready', enabled: false }));
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    const q = query.trim();
    if (!q || config.status !== 'ready' || !config.enabled) {
      setResults({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setResults({ status: 'searching' });
      gifsApi
        .search(q, controller.signal)
        .then((items) => setResults({ status: 'done', items }))
        .catch((error: unknown) => {
          if (!controller.signal.aborted) setResults({ status: 'error', message: toApiError(error).detail });
        });
    }, searchDelayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, config]);

  const enabled = config.status === 'ready' && config.enabled;
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (enabled) search.current?.focus();
  }, [enabled]);

  return (
    <Modal title="Add a GIF" onClose={onClose} className="gif-picker">
      {config.status === 'loading' ? <p className="muted-note">Loading…</p> : null}
      {enabled ? (
        <>
          <label htmlFor={`${id}-q`} className="visually-hidden">
            Search GIFs
          </label>
          <input
            ref={search}
            id={`${id}-q`}
            className="text-input gif-picker-search"
            type="search"
            placeholder="Search GIFs"
            value={query}
            maxLength={100}
            data-autofocus
            onChange={(event) => setQuery(event.target.value)}
          />
          <div aria-live="polite" className="gif-picker-status">
            {results.status === 'searching' ? 'Searching…' : null}
            {results.status === 'done' ? (results.items.length ? `${results.items.length} GIFs` : 'No GIFs found.') : null}
            {results.status === 'error' ? <span className="block-error">{results.message}</span> : null}
          </div>
          {results.status === 'done' && results.items.length > 0 ? (
            <ul className="gif-picker-results" aria-label="GIFs">
              {results.items.map((item) => (
                <li key={`${item.provider}:${item.providerId}`}>
                  <button type="button" className="gif-picker-result" aria-label={item.title || 'GIF'} onClick={() => onPick(gifBlockOf(item))}>
                    {reducedMotion && !item.posterUrl ? (
                      // Without a still, reduced motion gets the title rather than the animated preview.
                      <span className="gif-picker-placeholder">{item.title || 'GIF'}</span>
                    ) : (
                      <img src={reducedMotion ? item.posterUrl : item.previewUrl} alt="" loading="lazy" referrerPolicy="no-referrer" />
                    )}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <p className="gif-picker-credit">Search by GIPHY</p>
        </>
      ) : config.status === 'ready' ? (
        <p className="muted-note">GIF search is not set up on this server. Upload a GIF from your device instead.</p>
      ) : null}
      <div className="block-form-actions">
        <button type="button" className="button button-small" onClick={onUpload} {...(enabled ? {} : { 'data-autofocus': true })}>
          Upload a GIF…
        </button>
      </div>
    </Modal>
  );
}
