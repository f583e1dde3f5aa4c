/** The Markdown engine of the `text` renderer, loaded on demand (react-markdown is most of its weight). */
import Markdown, { type Components } from 'react-markdown';
import { text } from '../../../core/content-types/text.js';
import { MarkdownLink } from '../../components/MarkdownLink.js';
import { allowedLinkUrl } from '../safe-link.js';

const { allowedElements, linkProtocols } = text.markdown;

const components: Components = {
  a: MarkdownLink,
};

/** react-markdown drops an `href` the transform empties. */
const urlTransform = (url: string) => allowedLinkUrl(url, linkProtocols) ?? '';

/** Raw HTML skipped, only the elements core allows (others unwrapped to their text), links to http(s)/mailto only. */
export default function TextMarkdown({ source }: { source: string }) {
  return (
    <Markdown skipHtml allowedElements={allowedElements} unwrapDisallowed urlTransform={urlTransform} components={components}>
      {source}
    </Markdown>
  );
}
