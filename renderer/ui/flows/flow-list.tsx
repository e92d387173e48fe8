/**
 * The flow list: one row per TCP connection of the flows the filter keeps, sortable by the
 * engine (start, duration, bytes each way, retransmits, handshake status, RTT, process, packets),
 * virtualized so only the rows in view exist in the DOM. Arrow keys move the selection.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useReducer, useRef, useState, type JSX, type KeyboardEvent } from 'react';
import type { FlowSummary } from '../../engine/flows/types.js';
import type { OpenTrace } from '../../state/view-store.js';
import { useServices, useView } from '../app-context.js';
import { FLOW_COLUMNS, FLOW_GRID_TEMPLATE } from './flow-columns.js';
import { nextSort, type FlowSort } from './flow-list-sort.js';
import { FlowPages, FLOW_PAGE } from './flow-pages.js';

/** As the event table's rows (the list shares its grid styles). */
const ROW_HEIGHT = 24;

export interface FlowListProps {
  readonly selected: number | null;
  /** `fromUser`: picked in the list (not the automatic first pick). */
  readonly onSelect: (flow: FlowSummary, fromUser: boolean) => void;
  readonly sort: FlowSort;
  readonly onSort: (sort: FlowSort) => void;
  /** The trace as the Flows view follows it (useSettledTrace). */
  readonly trace: OpenTrace | null;
}

export function FlowList({ selected, onSelect, sort, onSort, trace }: FlowListProps): JSX.Element {
  const { engine } = useServices();
  const filter = useView((s) => s.filter);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const scrollRef = useRef<HTMLDivElement>(null);

  const pages = useMemo(() => {
    if (!trace) return null;
    return new FlowPages(
      engine,
      { filter, sort },
      (n) => {
        setTotal(n);
        rerender();
      },
      setError,
    );
  }, [engine, trace, filter, sort]);

  useEffect(() => {
    setError(null);
    pages?.want(0, FLOW_PAGE - 1);
    return () => pages?.close();
  }, [pages]);

  const virtualizer = useVirtualizer({ count: total ?? 0, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => pages?.want(first, last), [pages, first, last]);

  // Nothing selected yet: show the first flow of the list.
  const firstFlow = pages?.at(0);
  useEffect(() => {
    if (selected === null && firstFlow) onSelect(firstFlow, false);
  }, [selected, firstFlow, onSelect]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (!pages || !total || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
    e.preventDefault();
    const shown = items.find((item) => pages.at(item.index)?.id === selected);
    const next = Math.min(total - 1, Math.max(0, (shown?.index ?? -1) + (e.key === 'ArrowDown' ? 1 : -1)));
    virtualizer.scrollToIndex(next);
    const flow = pages.at(next);
    if (flow) onSelect(flow, true);
  };

  return (
    <section className="flow-list" aria-label="TCP flows">
      <div className="flow-list-status" role="status" data-total={total ?? ''}>
        {total === null ? 'Finding TCP flows…' : `${total} TCP flow${total === 1 ? '' : 's'}${filter ? ' with an event matching the filter' : ''}`}
        {error && <span className="table-error"> — {error}</span>}
      </div>
      <div role="grid" aria-label="Flows" aria-rowcount={(total ?? 0) + 1} aria-colcount={FLOW_COLUMNS.length} tabIndex={0} onKeyDown={onKeyDown} className="event-grid">
        <div role="rowgroup">
          <div role="row" aria-rowindex={1} className="grid-row grid-header" style={{ gridTemplateColumns: FLOW_GRID_TEMPLATE }}>
            {FLOW_COLUMNS.map((c) => (
              <div key={c.key} role="columnheader" aria-sort={c.sort && sort?.key === c.sort ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                {c.sort ? (
                  <button type="button" title={`Sort by ${c.label}`} onClick={() => onSort(nextSort(sort, c.sort!))}>
                    {c.label}
                    {sort?.key === c.sort ? (sort.descending ? ' ▼' : ' ▲') : ''}
                  </button>
                ) : (
                  c.label
                )}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="flow-scroll" ref={scrollRef}>
          <div className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const flow = pages?.at(item.index);
              return (
                <div
                  key={item.key}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={flow !== undefined && flow.id === selected}
                  data-flow={flow?.id}
                  data-status={flow?.handshake.status}
                  className="grid-row"
                  style={{ gridTemplateColumns: FLOW_GRID_TEMPLATE, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  onClick={() => flow && onSelect(flow, true)}
                >
                  {FLOW_COLUMNS.map((c) => (
                    <div key={c.key} role="gridcell">
                      {flow ? c.text(flow) : ''}
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
