/**
 * The one Content-Security-Policy of the renderer, in Electron (app://) and in the browser host:
 * only this origin's scripts, workers, styles, images and fonts; no plugins, no framing, no forms;
 * nothing remote. They differ only in where the page may connect besides its own origin.
 */
export function rendererCsp(connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSources].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
