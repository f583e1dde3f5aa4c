/**
 * Server side of `file`: any bytes no other type takes, SVG and HTML included. Nothing is decoded or previewed;
 * served as an attachment with a sandboxing CSP, so the browser downloads it and never runs it.
 */
import type { ServerContentType } from './content-type.server.js';

export const fileServer: ServerContentType<'file'> = {
  id: 'file',
  previews: {},
  disposition: 'attachment',
};
