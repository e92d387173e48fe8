/** The selected event in full: its catalog entry (description, sources) and every field it has. */
import { useEffect, useState, type JSX } from 'react';
import { FIELD_BY_KEY } from '../../engine/model/fields.js';
import { PRIORITIES } from '../../engine/model/events.js';
import type { RowDetails } from '../../engine/query/details.js';
import { useServices, useView } from '../app-context.js';

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.join(', ');
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export function DetailsPane(): JSX.Element {
  const { engine } = useServices();
  const row = useView((s) => s.selectedRow);
  const trace = useView((s) => s.trace);
  const [details, setDetails] = useState<RowDetails | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setDetails(null);
    setError(null);
    if (row === null || !trace) return;
    let live = true;
    engine.call('details', { row }).then(
      (d) => live && setDetails(d),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [engine, row, trace]);

  return (
    <aside className="details-pane" aria-label="Event details">
      {error && <p className="error">{error}</p>}
      {!details && !error && <p className="hint">Select an event in the table to see all its fields.</p>}
      {details && (
        <>
          <h2>
            {details.event.id} <span className="badge">{details.event.class} · {PRIORITIES[details.event.priority - 1]}</span>
          </h2>
          <p className="description">{details.event.description}</p>
          {details.event.sources.length > 0 && <p className="sources">Sources: {details.event.sources.join(', ')}</p>}
          <dl className="fields">
            {Object.entries(details.fields).map(([key, value]) => (
              <div key={key} className="field">
                <dt title={FIELD_BY_KEY.get(key)?.doc}>
                  {FIELD_BY_KEY.get(key)?.label ?? key} <code>{FIELD_BY_KEY.get(key)?.filter ?? key}</code>
                </dt>
                <dd>{text(value)}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </aside>
  );
}
