/** The event table's columns: engine field keys (their display text comes from engine pages). */
import { FIELD_BY_KEY } from '../../engine/model/fields.js';

export interface TableColumn {
  readonly key: string;
  readonly label: string;
  /** CSS width. */
  readonly width: string;
}

const column = (key: string, width: string): TableColumn => ({ key, label: FIELD_BY_KEY.get(key)?.label ?? key, width });

export const TABLE_COLUMNS: readonly TableColumn[] = [
  column('time', '15.5rem'),
  column('event', '9rem'),
  column('priority', '6.5rem'),
  column('comm', '7rem'),
  column('pid', '4.5rem'),
  column('proto', '4rem'),
  column('saddr', '10rem'),
  column('sport', '4.5rem'),
  column('daddr', '10rem'),
  column('dport', '4.5rem'),
  column('size', '4.5rem'),
  column('tcp_flags', '1fr'),
];

export const COLUMN_KEYS: readonly string[] = TABLE_COLUMNS.map((c) => c.key);
