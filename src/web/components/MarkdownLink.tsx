import type { ReactNode } from 'react';

/**
 * A link in Markdown written by people (comments, text blocks): opens in a new tab without giving it a
 * handle on this one, and without a referrer; a link whose URL the sanitizer emptied is just its text.
 */
export function MarkdownLink({ href, children }: { href?: string | undefined; children?: ReactNode }) {
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ) : (
    <>{children}</>
  );
}
