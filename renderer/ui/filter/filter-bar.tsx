/**
 * The view filter: an expression in the filter language (docs/filters.md). It is checked as it
 * is typed; a mistake is shown with its message and underlined at its column; Enter (or Apply)
 * applies an expression that parses, to the timeline, the counts and the table alike.
 */
import { useEffect, useState, type FormEvent, type JSX } from 'react';
import { useServices, useView } from '../app-context.js';

const CHECK_DELAY_MS = 150;

export function FilterBar(): JSX.Element {
  const { engine, view } = useServices();
  const applied = useView((s) => s.filter);
  const problem = useView((s) => s.filterProblem);
  const [draft, setDraft] = useState(applied);

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

  const apply = (e: FormEvent): void => {
    e.preventDefault();
    void engine.call('checkFilter', { filter: draft }).then((r) => {
      if (r.ok) view.getState().applyFilter(draft.trim());
      else view.getState().setFilterProblem({ message: r.message, column: r.column });
    });
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
          onChange={(e) => setDraft(e.target.value)}
        />
        {problem && (
          <div className="filter-underline" aria-hidden="true">
            <span className="filter-before">{draft.slice(0, column - 1)}</span>
            <span className="filter-mark">{draft.slice(column - 1, column) || ' '}</span>
          </div>
        )}
      </div>
      <button type="submit">Apply</button>
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
