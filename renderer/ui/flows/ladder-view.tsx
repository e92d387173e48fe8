/**
 * The ladder (sequence) diagram of one flow: client and server lifelines, one arrow per segment
 * with its flags, seq/ack (relative, or raw), length and window; state changes, socket calls and
 * other events as marks on the lifelines; long pauses as gap rows with their duration. Rows are
 * virtualized. An arrow or mark is a button: it selects its event in the table and timeline, and
 * the event selected anywhere is highlighted here (and scrolled to).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type JSX, type KeyboardEvent } from 'react';
import type { FlowLadder, LadderItem } from '../../engine/flows/types.js';
import { useServices, useView } from '../app-context.js';
import { durationText, endpointText } from './format.js';
import { arrowPath, GUTTER, LADDER_ROW, ladderGeometry, type LadderGeometry } from './ladder-geometry.js';
import { itemHasRow, itemLabel, itemText, packetLabel, packetText, type PacketItem } from './ladder-labels.js';

function packetClass(item: PacketItem): string {
  const f = item.flags;
  const kind = f.includes('RST') ? 'rst' : f.includes('SYN') ? 'syn' : f.includes('FIN') ? 'fin' : item.len > 0 ? 'data' : 'ack';
  return `ladder-packet ladder-${kind}${item.retransmission ? ' ladder-retrans' : ''}`;
}

function Lifelines({ g, broken }: { g: LadderGeometry; broken: boolean }): JSX.Element {
  const cls = broken ? 'ladder-lifeline ladder-lifeline-gap' : 'ladder-lifeline';
  return (
    <>
      <line className={cls} x1={g.client} x2={g.client} y1={0} y2={LADDER_ROW} />
      <line className={cls} x1={g.server} x2={g.server} y1={0} y2={LADDER_ROW} />
    </>
  );
}

interface ItemProps {
  readonly item: LadderItem;
  readonly g: LadderGeometry;
  readonly raw: boolean;
  readonly selected: boolean;
  readonly onPick: (row: number) => void;
}

function LadderRowItem({ item, g, raw, selected, onPick }: ItemProps): JSX.Element {
  if (item.kind === 'gap') {
    const mid = (g.client + g.server) / 2;
    return (
      <g role="img" aria-label={itemLabel(item)} className="ladder-gap">
        <path d={`M${g.client - 30},${LADDER_ROW / 2 - 3} l10,6 l10,-6 l10,6 M${g.server - 10},${LADDER_ROW / 2 - 3} l10,6 l10,-6 l10,6`} />
        <text x={mid} y={LADDER_ROW / 2 + 4} textAnchor="middle">
          {`⋯ ${itemText(item)} ⋯`}
        </text>
      </g>
    );
  }
  const pick = (): void => onPick(item.row);
  const onKey = (e: KeyboardEvent<SVGGElement>): void => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    pick();
  };
  const common = { role: 'button', tabIndex: 0, 'aria-pressed': selected, onClick: pick, onKeyDown: onKey, 'data-row': item.row };
  if (item.kind === 'packet') {
    const a = arrowPath(g, item.from);
    const mid = (g.client + g.server) / 2;
    return (
      <g {...common} aria-label={packetLabel(item)} data-peer-row={item.peerRow >= 0 ? item.peerRow : undefined} className={`${packetClass(item)}${selected ? ' selected' : ''}`}>
        <title>{packetLabel(item)}{item.peerTs !== null ? `; arrived ${durationText(item.peerTs - item.ts)} later` : ''}</title>
        <line className="ladder-hit" x1={a.x1} x2={a.x2} y1={a.y1} y2={a.y2} />
        <line x1={a.x1} x2={a.x2} y1={a.y1} y2={a.y2} />
        <polygon points={a.head} />
        <text x={mid} y={12} textAnchor="middle">
          {packetText(item, raw)}
        </text>
      </g>
    );
  }
  const x = item.side === 'server' ? g.server : item.side === 'client' ? g.client : (g.client + g.server) / 2;
  // labels toward the middle: a mark's row has no arrow, and there is room for a drop reason
  const inward = item.side === 'server' ? -1 : 1;
  const y = LADDER_ROW / 2;
  const shape =
    item.kind === 'state' ? (
      <circle cx={x} cy={y} r={4} />
    ) : item.kind === 'call' ? (
      <rect x={x - 4} y={y - 4} width={8} height={8} />
    ) : (
      <polygon points={`${x},${y - 5} ${x + 5},${y} ${x},${y + 5} ${x - 5},${y}`} />
    );
  return (
    <g {...common} aria-label={itemLabel(item)} className={`ladder-${item.kind}${selected ? ' selected' : ''}${item.kind === 'call' && item.errno ? ' ladder-error' : ''}`}>
      {shape}
      <text x={x + inward * 9} y={y + 4} textAnchor={inward > 0 ? 'start' : 'end'}>
        {itemText(item)}
      </text>
    </g>
  );
}

export interface LadderViewProps {
  readonly ladder: FlowLadder;
}

export function LadderView({ ladder }: LadderViewProps): JSX.Element {
  const { view } = useServices();
  const selectedRow = useView((s) => s.selectedRow);
  const [raw, setRaw] = useState(false);
  const [width, setWidth] = useState(800);
  const scrollRef = useRef<HTMLDivElement>(null);
  const items = ladder.items;
  const flow = ladder.flow;
  const g = ladderGeometry(width);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => scrollRef.current, estimateSize: () => LADDER_ROW, overscan: 8 });

  // The event selected elsewhere (table, timeline): bring its arrow into view.
  useEffect(() => {
    if (selectedRow === null) return;
    const index = items.findIndex((it) => itemHasRow(it, selectedRow));
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [selectedRow, items, virtualizer]);

  const pick = (row: number): void => view.getState().selectRow(row);

  return (
    <section className="ladder" aria-label={`Ladder diagram of ${endpointText(flow.client)} → ${endpointText(flow.server)}`}>
      <div className="ladder-head" style={{ gridTemplateColumns: `${GUTTER}px 1fr` }}>
        <label className="ladder-raw">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} /> Raw seq/ack
        </label>
        <div className="ladder-ends">
          <span style={{ left: g.client - GUTTER }}>Client {endpointText(flow.client)}</span>
          <span style={{ left: g.server - GUTTER }}>Server {endpointText(flow.server)}</span>
        </div>
      </div>
      <div className="ladder-scroll" ref={scrollRef}>
        <div className="ladder-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const item = items[v.index]!;
            const selected = selectedRow !== null && itemHasRow(item, selectedRow);
            return (
              <div key={v.key} className="ladder-row" data-kind={item.kind} style={{ transform: `translateY(${v.start}px)`, height: LADDER_ROW }}>
                <div className="ladder-time">
                  <span>{durationText(item.ts - flow.firstTs)}</span>
                  {item.kind !== 'gap' && <span className="ladder-dt">+{durationText(item.dt)}</span>}
                </div>
                <svg width={g.width - GUTTER} height={LADDER_ROW} viewBox={`${GUTTER} 0 ${g.width - GUTTER} ${LADDER_ROW}`}>
                  <Lifelines g={g} broken={item.kind === 'gap'} />
                  <LadderRowItem item={item} g={g} raw={raw} selected={selected} onPick={pick} />
                </svg>
              </div>
            );
          })}
        </div>
      </div>
      {ladder.truncated > 0 && <p className="ladder-note">The first {items.length} items are shown; {ladder.truncated} more are in the table.</p>}
    </section>
  );
}
