/**
 * The view filter: an expression in the filter language (docs/filters.md). It is checked as it
 * is typed; a mistake is shown with its message and underlined at its column; Enter (or Apply)
 * applies an expression that parses, to the timeline, the counts and the table alike. Applied
 * expressions go to the history: ↑/↓ in the field step through it, the History button lists it.
 */
import { useEffect, useState, type FormEvent, type JSX, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { createFilterHistory } from '../../state/filter-history.js';
import { useServices, useView } from '../app-context.js';

const CHECK_DELAY_MS = 150;
/** One history per page, shared by every filter bar it shows. */
const history = createFilterHistory();

export function FilterBar(): JSX.Element {
  const { engine, view } = useServices();
  const applied = useView((s) => s.filter);
  const problem = useView((s) => s.filterProblem);
  const [draft, setDraft] = useState(applied);
  const entries = useStore(history, (h) => h.entries);
  /** Position in the history while stepping with ↑/↓ (−1: the draft being typed). */
  const [step, setStep] = useState(-1);
  const [listOpen, setListOpen] = useState(false);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      engine.call('checkFilter', { filter: draft }).then(
        (r) => live && view.getState().setFilterProblem(r.ok ? null : { message: r.message, column: r.column }),
        () => undefined,
      );
    }, CHECK_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [engine, view, draft]);

  const applyText = (text: string): void => {
    void engine.call('checkFilter', { filter: text }).then((r) => {
      if (r.ok) {
        view.getState().applyFilter(text.trim());
        history.getState().remember(text);
        setStep(-1);
      } else view.getState().setFilterProblem({ message: r.message, column: r.column });
    });
  };
  const apply = (e: FormEvent): void => {
    e.preventDefault();
    applyText(draft);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if ((e.key !== 'ArrowUp' && e.key !== 'ArrowDown') || entries.length === 0) return;
    e.preventDefault();
    const next = Math.max(-1, Math.min(entries.length - 1, step + (e.key === 'ArrowUp' ? 1 : -1)));
    setStep(next);
    setDraft(next < 0 ? '' : entries[next]!);
  };

  const column = problem ? Math.max(1, Math.min(problem.column, draft.length + 1)) : 0;
  return (
    <form className="filter-bar" role="search" onSubmit={apply}>
      <label htmlFor="filter-input">Filter</label>
      <div className="filter-field">
        <input
          id="filter-input"
          className={problem ? 'invalid' : ''}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="e.g. net.dport = 80 and tcp.flags.syn"
          value={draft}
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'filter-error' : undefined}
          onChange={(e) => {
            setDraft(e.target.value);
            setStep(-1);
          }}
          onKeyDown={onKeyDown}
        />
        {problem && (
          <div className="filter-underline" aria-hidden="true">
            <span className="filter-before">{draft.slice(0, column - 1)}</span>
            <span className="filter-mark">{draft.slice(column - 1, column) || ' '}</span>
          </div>
        )}
      </div>
      <button type="submit">Apply</button>
      <div className="filter-history">
        <button type="button" aria-expanded={listOpen} aria-controls="filter-history-list" disabled={entries.length === 0} onClick={() => setListOpen(!listOpen)}>
          History
        </button>
        {listOpen && entries.length > 0 && (
          <ul
            id="filter-history-list"
            className="filter-history-list"
            aria-label="Recent filters"
            onKeyDown={(e) => {
              if (e.key === 'Escape') setListOpen(false);
            }}
          >
            {entries.map((entry) => (
              <li key={entry}>
                <button
                  type="button"
                  onClick={() => {
                    setDraft(entry);
                    setListOpen(false);
                    applyText(entry);
                  }}
                >
                  {entry}
                </button>
                <button type="button" className="forget" aria-label={`Forget ${entry}`} onClick={() => history.getState().forget(entry)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <button
        type="button"
        onClick={() => {
          setDraft('');
          view.getState().applyFilter('');
        }}
        disabled={applied === '' && draft === ''}
      >
        Clear
      </button>
      {problem && (
        <p id="filter-error" className="filter-error" role="alert" data-column={problem.column}>
          column {problem.column}: {problem.message}
        </p>
      )}
    </form>
  );
}
