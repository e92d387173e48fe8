/**
 * The browser host's guard: a random token that the URL printed at start carries. The first page
 * load trades it for an HttpOnly, SameSite=Strict cookie (so the page's scripts, worker and socket
 * are let in without repeating it); every other request must show the token or that cookie, and
 * name this server in its Host header (no DNS rebinding) — anything else is refused.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison, so the token cannot be guessed a character at a time. */
export function sameToken(given: string | undefined | null, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class HostAuth {
  constructor(
    readonly token: string,
    private readonly port: number,
  ) {}

  /** Cookies are not scoped by port: the name carries it so that two hosts do not clash. */
  get cookieName(): string {
    return `wireview_token_${this.port}`;
  }

  /** The origins a page of this host has (the URL printed says 127.0.0.1; localhost also reaches it). */
  get origins(): readonly string[] {
    return [`http://127.0.0.1:${this.port}`, `http://localhost:${this.port}`];
  }

  hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host;
    return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}`;
  }

  /** True when the request shows the token (query) or the cookie, from an allowed Host. */
  allowed(req: IncomingMessage): boolean {
    if (!this.hostAllowed(req)) return false;
    const url = new URL(req.url ?? '/', 'http://host');
    return sameToken(url.searchParams.get('token'), this.token) || sameToken(this.cookie(req), this.token);
  }

  /** A WebSocket upgrade must also come from one of this host's own pages (no cross-site socket). */
  socketAllowed(req: IncomingMessage): boolean {
    return this.allowed(req) && typeof req.headers.origin === 'string' && this.origins.includes(req.headers.origin);
  }

  setCookieHeader(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }

  private cookie(req: IncomingMessage): string | undefined {
    const header = req.headers.cookie;
    if (!header) return undefined;
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.cookieName) return part.slice(eq + 1).trim();
    }
    return undefined;
  }
}
