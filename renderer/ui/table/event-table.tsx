/**
 * The event table: a `role="grid"` over the engine's sorted, filtered, range-limited row set,
 * virtualized with @tanstack/react-virtual so only the rows in view (plus overscan) exist in
 * the DOM, whatever the row count. Rows are fetched a page at a time (PageCache). Headers sort
 * (click or Enter), the column chooser picks the fields shown, and a row selected elsewhere (a
 * glyph clicked on the timeline) is scrolled into view.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type JSX, type KeyboardEvent } from 'react';
import { useServices, useView } from '../app-context.js';
import { ColumnChooser } from './column-chooser.js';
import { gridTemplate, tableColumn } from './columns.js';
import { PageCache, PAGE_ROWS } from './page-cache.js';

const ROW_HEIGHT = 24;
const FORMAT = new Intl.NumberFormat('en-US');

export function EventTable(): JSX.Element {
  const { engine, view } = useServices();
  const trace = useView((s) => s.trace);
  const filter = useView((s) => s.filter);
  const selection = useView((s) => s.selection);
  const sort = useView((s) => s.sort);
  const selectedRow = useView((s) => s.selectedRow);
  const columnKeys = useView((s) => s.columns);
  const columns = useMemo(() => columnKeys.map(tableColumn), [columnKeys]);
  const template = gridTemplate(columns);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [, pageArrived] = useReducer((n: number) => n + 1, 0);
  const scrollRef = useRef<HTMLDivElement>(null);

  const cache = useMemo(() => {
    if (!trace) return null;
    return new PageCache(
      engine,
      { filter, range: selection, sort, columns: columnKeys },
      (page) => {
        setTotal(page.total);
        pageArrived();
      },
      setError,
    );
  }, [engine, trace, filter, selection, sort, columnKeys]);

  useEffect(() => {
    setError(null);
    setTotal(0);
    scrollRef.current?.scrollTo({ top: 0 });
    cache?.ensure(0, PAGE_ROWS - 1);
    return () => cache?.dispose();
  }, [cache]);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => cache?.ensure(first, last), [cache, first, last]);

  const rowAt = useCallback((index: number): number | undefined => {
    const page = cache?.pageOf(index);
    return page?.rows[index - page.offset];
  }, [cache]);

  // A row selected elsewhere (the timeline) and not on screen: find it in the sorted set and scroll to it.
  const shownRef = useRef<{ items: typeof items; rowAt: typeof rowAt }>({ items, rowAt });
  shownRef.current = { items, rowAt };
  useEffect(() => {
    if (selectedRow === null || !cache) return;
    const shown = shownRef.current;
    if (shown.items.some((item) => shown.rowAt(item.index) === selectedRow)) return;
    let live = true;
    const { filter: f, range, sort: order } = cache.query;
    engine.call('position', { row: selectedRow, filter: f, range: range ?? undefined, sort: order ?? undefined }).then(
      (p) => live && p.index >= 0 && virtualizer.scrollToIndex(p.index, { align: 'center' }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [engine, cache, selectedRow, virtualizer]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    let index = -1;
    if (selectedRow !== null) for (const item of items) if (rowAt(item.index) === selectedRow) index = item.index;
    const next = Math.min(total - 1, Math.max(0, index + (e.key === 'ArrowDown' ? 1 : -1)));
    virtualizer.scrollToIndex(next);
    const row = rowAt(next);
    if (row !== undefined) view.getState().selectRow(row);
  };

  return (
    <section className="table-pane" aria-label="Events">
      <div className="table-bar">
        <div className="table-status" role="status" data-total={total} data-range-t0={selection?.t0} data-range-t1={selection?.t1}>
          {trace ? `${FORMAT.format(total)} events${selection ? ' in the selected range' : ''}${filter ? ' matching the filter' : ''}` : 'No trace open'}
          {error && <span className="table-error"> — {error}</span>}
        </div>
        <ColumnChooser />
      </div>
      <div role="grid" aria-label="Events" aria-rowcount={total + 1} aria-colcount={columns.length} tabIndex={0} onKeyDown={onKeyDown} className="event-grid">
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="grid-row grid-header" style={{ gridTemplateColumns: template }}>
            {columns.map((c) => (
              <div key={c.key} role="columnheader" data-key={c.key} aria-sort={sort?.field === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                <button type="button" onClick={() => view.getState().sortBy(c.key)} title={`Sort by ${c.label}`}>
                  {c.label}
                  {sort?.field === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="table-scroll" ref={scrollRef}>
          <div className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const page = cache?.pageOf(item.index);
              const at = page ? item.index - page.offset : -1;
              const row = page?.rows[at];
              return (
                <div
                  key={item.key}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={row !== undefined && row === selectedRow}
                  data-row={row}
                  className="grid-row"
                  style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  onClick={() => row !== undefined && view.getState().selectRow(row)}
                >
                  {columns.map((c) => (
                    <div key={c.key} role="gridcell">
                      {page ? page.columns[c.key]?.[at] : ''}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
