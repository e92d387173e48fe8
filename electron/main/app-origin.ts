/**
 * The page's origin: the built renderer is served from `app://wireview/` (a custom, standard,
 * secure scheme), never from file:// or the network. IPC senders, navigation targets and
 * permission requests are judged against it. No Electron import: tests run without its binary.
 */
import { rendererCsp } from '../security/csp.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'wireview';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** True when `url` is a page or resource of our own app:// origin. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

/** The part of a frame that the sender check reads (Electron's WebFrameMain has more). */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/**
 * An IPC message is ours only when it comes from the top frame of a page of our origin: not from
 * a subframe, not from a page that navigated elsewhere, not from a destroyed frame (null).
 */
export function isTrustedSender(frame: SenderFrameLike | null | undefined): boolean {
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}

/** The strict CSP of every app:// response: only this origin's scripts, workers, styles, data. */
export const APP_CSP = rendererCsp();
