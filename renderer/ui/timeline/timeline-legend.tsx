/** The colours of the events drawn in the visible window, each named by its event id, and the loss marks in view. */
import type { JSX } from 'react';
import { EVENTS } from '../../engine/model/events.js';
import { useView } from '../app-context.js';
import { eventColor } from './draw-timeline.js';

export function TimelineLegend({ events, lost }: { events: readonly number[]; lost: number }): JSX.Element {
  // The canvas's event lightness of the current theme (re-read when the theme changes).
  useView((s) => s.theme);
  const lightness = Number(getComputedStyle(document.documentElement).getPropertyValue('--tl-event-lightness')) || 45;
  return (
    <ul className="timeline-legend" aria-label="Event colours">
      {events.map((e) => (
        <li key={e} data-event={EVENTS[e]?.id}>
          <span className="swatch" style={{ background: eventColor(e, lightness) }} aria-hidden="true" />
          {EVENTS[e]?.id}
        </li>
      ))}
      {lost > 0 && (
        <li className="legend-loss" data-lost-marks={lost} title="capture.lost: the capture lost records at the red marks">
          <span className="swatch swatch-loss" aria-hidden="true" />
          records lost ({lost} {lost === 1 ? 'mark' : 'marks'} in view)
        </li>
      )}
    </ul>
  );
}
