/**
 * The upper half of the trace view: the timeline, or the Flows view in its place (tabs, reachable
 * by keyboard: Tab to them, ←/→ to switch). The event table and details stay beneath either, so an
 * arrow picked in a ladder shows its event there at once.
 */
import { useCallback, useEffect, useState, type JSX, type KeyboardEvent, type ReactNode } from 'react';
import { useView } from '../app-context.js';
import { FlowsPanel, INITIAL_FLOWS_STATE, type FlowsState } from './flows-panel.js';
import './flows.css';

type MainView = 'timeline' | 'flows';
const VIEWS: readonly { readonly id: MainView; readonly label: string }[] = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'flows', label: 'Flows' },
];

export function MainViews({ timeline }: { timeline: ReactNode }): JSX.Element {
  const [shown, setShown] = useState<MainView>('timeline');
  const [flows, setFlows] = useState<FlowsState>(INITIAL_FLOWS_STATE);
  const trace = useView((s) => s.trace);
  const traceKey = trace ? `${trace.name}@${trace.baseNs}` : '';
  const update = useCallback((patch: Partial<FlowsState>) => setFlows((s) => ({ ...s, ...patch })), []);

  // another trace: its flows are other flows
  useEffect(() => setFlows(INITIAL_FLOWS_STATE), [traceKey]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const next = VIEWS[(VIEWS.findIndex((v) => v.id === shown) + (e.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length]!;
    setShown(next.id);
    document.getElementById(`main-tab-${next.id}`)?.focus();
  };

  return (
    <>
      <div role="tablist" aria-label="Views" className="main-tabs" onKeyDown={onKeyDown}>
        {VIEWS.map((v) => (
          <button
            key={v.id}
            id={`main-tab-${v.id}`}
            type="button"
            role="tab"
            aria-selected={shown === v.id}
            aria-controls={`main-view-${v.id}`}
            tabIndex={shown === v.id ? 0 : -1}
            onClick={() => setShown(v.id)}
          >
            {v.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`main-view-${shown}`} aria-labelledby={`main-tab-${shown}`} className={`main-view main-view-${shown}`}>
        {shown === 'timeline' ? timeline : <FlowsPanel state={flows} update={update} />}
      </div>
    </>
  );
}
