/**
 * The Flows view: the flow list, and for the selected flow its diagnosis in words, its ladder
 * diagram and its charts. The flow follows the selected event: an event of another flow selected
 * in the table or timeline shows that flow; a flow picked in the list selects its first event.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type JSX } from 'react';
import type { FlowLadder, FlowSeries, FlowSummary } from '../../engine/flows/types.js';
import { useServices, useView } from '../app-context.js';
import { diagnosisLines } from './diagnosis-text.js';
import { FlowList } from './flow-list.js';
import type { FlowSort } from './flow-list-sort.js';
import { LadderView } from './ladder-view.js';
import { useSettledTrace } from './settled-trace.js';

/** The charts and echarts load when first shown (their own chunk: most of the renderer's bytes otherwise). */
const FlowCharts = lazy(() => import('./flow-charts.js').then((m) => ({ default: m.FlowCharts })));

export type FlowDetail = 'ladder' | 'charts';

export interface FlowsState {
  readonly selected: number | null;
  readonly sort: FlowSort;
  readonly detail: FlowDetail;
}

export const INITIAL_FLOWS_STATE: FlowsState = { selected: null, sort: null, detail: 'ladder' };

function Diagnosis({ flow }: { flow: FlowSummary }): JSX.Element {
  return (
    <dl className="flow-diagnosis" aria-label="Diagnosis" data-status={flow.handshake.status} data-end={flow.teardown.end}>
      {diagnosisLines(flow).map((l) => (
        <div key={l.term} data-term={l.term}>
          <dt>{l.term}</dt>
          <dd>{l.text}</dd>
        </div>
      ))}
    </dl>
  );
}

interface Detail {
  readonly ladder: FlowLadder;
  readonly series: FlowSeries;
}

/** `update` merges a change into the state the Flows view keeps while hidden (MainViews holds it). */
export function FlowsPanel({ state, update }: { state: FlowsState; update: (patch: Partial<FlowsState>) => void }): JSX.Element {
  const { engine, view } = useServices();
  const trace = useSettledTrace();
  const selectedRow = useView((s) => s.selectedRow);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { selected } = state;
  // The selected flow's first row: flow ids are indexes that may shift when a live trace grows.
  const anchor = useRef<{ id: number; row: number } | null>(null);

  const onSelect = useCallback(
    (flow: FlowSummary, fromUser: boolean) => {
      update({ selected: flow.id });
      if (fromUser) view.getState().selectRow(flow.firstRow);
    },
    [update, view],
  );

  // An event selected anywhere: show its flow.
  useEffect(() => {
    if (selectedRow === null || !trace) return;
    let live = true;
    engine.call('flowOfRow', { row: selectedRow }).then(
      ({ id }) => live && id >= 0 && update({ selected: id }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [engine, trace, selectedRow, update]);

  useEffect(() => {
    setError(null);
    if (selected === null || !trace) return setDetail(null);
    let live = true;
    const show = async (): Promise<void> => {
      const a = anchor.current;
      if (a?.id === selected) {
        const { id } = await engine.call('flowOfRow', { row: a.row });
        if (id >= 0 && id !== selected) {
          anchor.current = { id, row: a.row };
          return live ? update({ selected: id }) : undefined;
        }
      }
      const [ladder, series] = await Promise.all([engine.call('flowLadder', { id: selected }), engine.call('flowSeries', { id: selected })]);
      if (!live) return;
      anchor.current = { id: selected, row: ladder.flow.firstRow };
      setDetail({ ladder, series });
    };
    show().catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [engine, trace, selected, update]);

  const tab = (which: FlowDetail, label: string): JSX.Element => (
    <button type="button" role="tab" aria-selected={state.detail === which} className="flow-tab" onClick={() => update({ detail: which })}>
      {label}
    </button>
  );

  return (
    <div className="flows-panel">
      <FlowList selected={selected} onSelect={onSelect} sort={state.sort} onSort={(sort) => update({ sort })} trace={trace} />
      <div className="flow-detail">
        {error && <p className="error">{error}</p>}
        {!detail && !error && <p className="hint">{trace ? 'Select a flow to see its handshake, ladder and charts.' : 'Open a trace with TCP traffic.'}</p>}
        {detail && (
          <>
            <Diagnosis flow={detail.ladder.flow} />
            <div className="flow-detail-main">
              <div role="tablist" aria-label="Flow view" className="flow-tabs">
                {tab('ladder', 'Ladder')}
                {tab('charts', 'Charts')}
              </div>
              {state.detail === 'ladder' ? (
                <LadderView ladder={detail.ladder} />
              ) : (
                <Suspense fallback={<p className="hint">Loading the charts…</p>}>
                  <FlowCharts flow={detail.ladder.flow} series={detail.series} />
                </Suspense>
              )}
            </div>
          </>
        )}
      </div>
    </div>
  );
}
