/** The event table's columns: engine field keys (their display text comes from engine pages). */
import { FIELD_BY_KEY } from '../../engine/model/fields.js';

export interface TableColumn {
  readonly key: string;
  readonly label: string;
  /** CSS width. */
  readonly width: string;
}

const WIDTHS: Readonly<Record<string, string>> = {
  time: '15.5rem',
  event: '9rem',
  priority: '6.5rem',
  comm: '7rem',
  saddr: '10rem',
  daddr: '10rem',
  saddr_names: '12rem',
  daddr_names: '12rem',
  dns_answers: '16rem',
  route_result: '12rem',
  tcp_flags: '8rem',
  tcp_options: '10rem',
  msg_flags: '10rem',
  source: '10rem',
  drop_reason: '9rem',
  dns_name: '12rem',
};

export function tableColumn(key: string): TableColumn {
  return { key, label: FIELD_BY_KEY.get(key)?.label ?? key, width: WIDTHS[key] ?? '5.5rem' };
}

/** CSS grid template of the shown columns: each its width, the last one taking the rest. */
export function gridTemplate(columns: readonly TableColumn[]): string {
  return columns.map((c, i) => (i === columns.length - 1 ? `minmax(${c.width}, 1fr)` : c.width)).join(' ');
}
