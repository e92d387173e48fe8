/**
 * The packet comment that carries process details in WireView's pcapng export, and that the
 * importer reads back: `pid=123 tid=124 comm=curl` (comm last: it may contain spaces). Each part
 * is optional; Wireshark shows the comment in the packet's details (frame.comment).
 */
export interface ProcessInfo {
  pid?: number;
  tid?: number;
  comm?: string;
}

export function formatProcessComment(info: ProcessInfo): string {
  const parts: string[] = [];
  if (info.pid !== undefined) parts.push(`pid=${info.pid}`);
  if (info.tid !== undefined) parts.push(`tid=${info.tid}`);
  if (info.comm !== undefined) parts.push(`comm=${info.comm}`);
  return parts.join(' ');
}

const PATTERN = /^(?:pid=(\d{1,10}))?\s*(?:tid=(\d{1,10}))?\s*(?:comm=(.*))?$/s;

/** The process details of a comment in our format; undefined for any other comment. */
export function parseProcessComment(text: string): ProcessInfo | undefined {
  if (!/^(pid|tid|comm)=/.test(text)) return undefined;
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const info: ProcessInfo = {};
  if (m[1] !== undefined && Number(m[1]) <= 0xffffffff) info.pid = Number(m[1]);
  if (m[2] !== undefined && Number(m[2]) <= 0xffffffff) info.tid = Number(m[2]);
  if (m[3] !== undefined) info.comm = m[3];
  return info;
}
