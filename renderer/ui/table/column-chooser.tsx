/**
 * The column chooser: a button opening a list of every field with a checkbox; checked fields are
 * the table's columns (kept in the view store and localStorage). Time and event always stay.
 * Escape or the button closes it.
 */
import { useEffect, useRef, useState, type JSX } from 'react';
import { FIELD_BY_KEY } from '../../engine/model/fields.js';
import { COLUMN_KEYS } from '../../state/table-columns.js';
import { useServices, useView } from '../app-context.js';
import { tableColumn } from './columns.js';

const FIXED = new Set(['time', 'event']);

export function ColumnChooser(): JSX.Element {
  const { view } = useServices();
  const shown = useView((s) => s.columns);
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLFieldSetElement>(null);

  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLInputElement>('input:not(:disabled)')?.focus();
  }, [open]);

  return (
    <div className="column-chooser">
      <button type="button" aria-expanded={open} aria-controls="column-chooser-panel" onClick={() => setOpen(!open)}>
        Columns…
      </button>
      {open && (
        <fieldset
          id="column-chooser-panel"
          ref={panel}
          className="column-chooser-panel"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <legend>Columns shown</legend>
          {COLUMN_KEYS.map((key) => {
            const c = tableColumn(key);
            return (
              <label key={key} title={FIELD_BY_KEY.get(key)?.doc}>
                <input type="checkbox" data-key={key} checked={shown.includes(key)} disabled={FIXED.has(key)} onChange={() => view.getState().toggleColumn(key)} />
                {c.label} <code>{FIELD_BY_KEY.get(key)?.filter}</code>
              </label>
            );
          })}
        </fieldset>
      )}
    </div>
  );
}
