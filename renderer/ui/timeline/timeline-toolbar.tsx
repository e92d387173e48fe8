/**
 * Above the lanes: how lanes are grouped (class × priority, process, connection) and how far the
 * engine is with a first regroup of a big trace, live follow of the newest events, and bookmarks —
 * add one (at the selection, or the window's centre; B adds at the pointer), jump to one, remove one.
 */
import { useState, type JSX } from 'react';
import { currentBookmarks, type LaneGrouping } from '../../state/view-store.js';
import { useServices, useView } from '../app-context.js';
import { wallClock } from './time-axis.js';
import { bookmarkTime } from './timeline-input.js';

const GROUPINGS: readonly (readonly [LaneGrouping, string])[] = [
  ['class', 'Class and priority'],
  ['process', 'Process'],
  ['connection', 'Connection'],
];

const GROUPING_NAMES: Readonly<Record<string, string>> = { process: 'process', connection: 'connection' };

/** While the engine assigns the rows of a big trace to process / connection lanes: a progress bar. */
export function RegroupStatus(): JSX.Element | null {
  const regroup = useView((s) => s.regroup);
  if (!regroup) return null;
  const pct = regroup.total > 0 ? Math.min(100, (regroup.done / regroup.total) * 100) : 0;
  const label = `Grouping lanes by ${GROUPING_NAMES[regroup.by]}`;
  return (
    <div className="regroup-status" role="status">
      <span>{label}…</span>
      <progress max={100} value={pct} aria-label={label} />
      <span>{Math.floor(pct)} %</span>
    </div>
  );
}

export function TimelineToolbar(): JSX.Element {
  const { view } = useServices();
  const trace = useView((s) => s.trace);
  const grouping = useView((s) => s.grouping);
  const follow = useView((s) => s.follow);
  const bookmarks = useView(currentBookmarks);
  const [listOpen, setListOpen] = useState(false);
  const epochOfZero = trace ? trace.baseNs + trace.wallOffsetNs : 0n;
  const at = (t: number): string => wallClock(epochOfZero + BigInt(Math.round(t)), 6);

  return (
    <div className="timeline-toolbar" role="toolbar" aria-label="Timeline tools">
      <label>
        Lanes by{' '}
        <select value={grouping} onChange={(e) => view.getState().setGrouping(e.target.value as LaneGrouping)}>
          {GROUPINGS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" aria-pressed={follow} disabled={!trace} onClick={() => view.getState().setFollow(!follow)} title="Keep the newest events in view while a capture records">
        Follow newest
      </button>
      <button
        type="button"
        disabled={!trace}
        onClick={() => {
          const s = view.getState();
          s.addBookmark(bookmarkTime(s, null));
        }}
        title="Bookmark the selection's start, or the centre of the window (B: the time under the pointer)"
      >
        Add bookmark
      </button>
      <div className="bookmarks">
        <button type="button" aria-expanded={listOpen} aria-controls="bookmark-list" disabled={bookmarks.length === 0} onClick={() => setListOpen(!listOpen)}>
          Bookmarks ({bookmarks.length})
        </button>
        {listOpen && bookmarks.length > 0 && (
          <ul id="bookmark-list" className="bookmark-list" aria-label="Bookmarks">
            {bookmarks.map((b) => (
              <li key={b.id} data-t={b.t}>
                <button type="button" onClick={() => view.getState().centreOn(b.t)}>
                  {b.label} · {at(b.t)}
                </button>
                <button type="button" className="forget" aria-label={`Remove ${b.label}`} onClick={() => view.getState().removeBookmark(b.id)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
