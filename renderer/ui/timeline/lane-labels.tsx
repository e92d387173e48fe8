/**
 * The lane labels beside the canvas: one `role="group"` per lane named for it (`core · WARNING`,
 * or the process / connection), with a button that collapses or expands the lane (click, Enter or
 * Space) and the lane's event count. Empty lanes are dimmed.
 */
import type { JSX } from 'react';
import { useServices } from '../app-context.js';
import { AXIS_HEIGHT, type LaneRow } from './lane-layout.js';

const FORMAT = new Intl.NumberFormat('en-US');

export function LaneLabels({ lanes }: { lanes: readonly LaneRow[] }): JSX.Element {
  const { view } = useServices();
  return (
    <div className="lane-labels" style={{ paddingTop: AXIS_HEIGHT }}>
      {lanes.map((lane) => (
        <div
          key={lane.key}
          role="group"
          aria-label={lane.name}
          data-lane={lane.key}
          className={`lane-label${lane.count === 0 ? ' lane-empty' : ''}${lane.boundary ? ' lane-class-start' : ''}${lane.collapsed ? ' lane-collapsed' : ''}`}
          style={{ height: lane.height }}
        >
          <button
            type="button"
            className="lane-toggle"
            aria-expanded={!lane.collapsed}
            aria-label={lane.name}
            title={`${lane.collapsed ? 'Expand' : 'Collapse'} ${lane.name}`}
            onClick={() => view.getState().toggleLane(lane.key)}
          >
            <span aria-hidden="true">{lane.collapsed ? '▸ ' : '▾ '}</span>
            <span className="lane-name">{lane.collapsed ? '' : lane.name.replace(' · ', ' ')}</span>
          </button>
          <span className="lane-count" data-count={lane.count}>
            {FORMAT.format(lane.count)}
          </span>
        </div>
      ))}
    </div>
  );
}
