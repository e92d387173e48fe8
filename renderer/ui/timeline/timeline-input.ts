/**
 * Mouse, wheel and keyboard on the timeline canvas: drag in the lanes selects a time range (a
 * click clears it and picks the event under the pointer), drag on the axis (or with Shift, or the
 * middle button) pans, the wheel zooms around the pointer (Shift or a horizontal wheel pans),
 * W/S zoom, A/D pan, B bookmarks the time under the pointer (or the selection, or the centre),
 * Escape clears (keys anywhere on the page except while typing in a field); Enter on the focused
 * canvas selects the visible window as the range.
 */
import { useEffect, type RefObject } from 'react';
import type { TimeWindow } from '../../state/view-store.js';
import { useServices } from '../app-context.js';
import { AXIS_HEIGHT } from './lane-layout.js';

const KEY_ZOOM = 0.8;
const KEY_PAN = 0.15;
/** Below this many pixels a drag is a click. */
const CLICK_SLOP_PX = 3;
/** A click picks an event this many pixels away at most. */
const PICK_SLOP_PX = 4;

export interface TimelineInputHandlers {
  /** A click in the lanes at relative time `t`, CSS y from the canvas top; `slop` ns is PICK_SLOP_PX. */
  onClick(t: number, y: number, slop: number): void;
}

/** Where a bookmark goes when none is pointed at: the selection's start, else the window's centre. */
export function bookmarkTime(s: { selection: TimeWindow | null; viewport: TimeWindow }, pointer: number | null): number {
  return pointer ?? s.selection?.t0 ?? (s.viewport.t0 + s.viewport.t1) / 2;
}

export function useTimelineInput(canvasRef: RefObject<HTMLCanvasElement | null>, dragRef: { current: TimeWindow | null }, handlers: TimelineInputHandlers): void {
  const { view } = useServices();
  useEffect(() => {
    const canvas = canvasRef.current!;
    const redraw = (): boolean => canvas.dispatchEvent(new Event('wireview:redraw'));
    const timeAt = (clientX: number): number => {
      const rect = canvas.getBoundingClientRect();
      const { t0, t1 } = view.getState().viewport;
      return t0 + ((clientX - rect.left) / Math.max(1, rect.width)) * (t1 - t0);
    };
    let drag: { mode: 'select' | 'pan'; startX: number; lastX: number; startT: number } | null = null;
    /** Time under the pointer while it is over the canvas (what B bookmarks). */
    let pointer: number | null = null;

    const onDown = (e: PointerEvent): void => {
      if (!view.getState().trace || (e.button !== 0 && e.button !== 1)) return;
      const rect = canvas.getBoundingClientRect();
      const onAxis = e.clientY - rect.top < AXIS_HEIGHT;
      drag = { mode: onAxis || e.shiftKey || e.button === 1 ? 'pan' : 'select', startX: e.clientX, lastX: e.clientX, startT: timeAt(e.clientX) };
      canvas.setPointerCapture(e.pointerId);
      canvas.focus();
      e.preventDefault();
    };
    const onMove = (e: PointerEvent): void => {
      pointer = timeAt(e.clientX);
      if (!drag) return;
      if (drag.mode === 'pan') {
        const rect = canvas.getBoundingClientRect();
        view.getState().pan(-(e.clientX - drag.lastX) / Math.max(1, rect.width));
      } else if (Math.abs(e.clientX - drag.startX) >= CLICK_SLOP_PX) {
        const t = timeAt(e.clientX);
        dragRef.current = { t0: Math.min(drag.startT, t), t1: Math.max(drag.startT, t) };
        redraw();
      }
      drag.lastX = e.clientX;
    };
    const onUp = (e: PointerEvent): void => {
      if (!drag) return;
      if (drag.mode === 'select') {
        const t = timeAt(e.clientX);
        dragRef.current = null;
        const click = Math.abs(e.clientX - drag.startX) < CLICK_SLOP_PX;
        view.getState().select(click ? null : { t0: Math.min(drag.startT, t), t1: Math.max(drag.startT, t) });
        if (click) {
          const rect = canvas.getBoundingClientRect();
          const { t0, t1 } = view.getState().viewport;
          handlers.onClick(t, e.clientY - rect.top, (PICK_SLOP_PX * (t1 - t0)) / Math.max(1, rect.width));
        }
        redraw();
      }
      drag = null;
    };
    const onWheel = (e: WheelEvent): void => {
      if (!view.getState().trace) return;
      e.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const dx = e.shiftKey ? e.deltaY : e.deltaX;
      if (Math.abs(dx) > Math.abs(e.shiftKey ? 0 : e.deltaY)) {
        view.getState().pan(dx / Math.max(1, rect.width));
      } else {
        view.getState().zoom(Math.exp(e.deltaY * 0.002), (e.clientX - rect.left) / Math.max(1, rect.width));
      }
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || !view.getState().trace || typing(e.target)) return;
      const s = view.getState();
      switch (e.key.toLowerCase()) {
        case 'w':
          s.zoom(KEY_ZOOM, 0.5);
          break;
        case 's':
          s.zoom(1 / KEY_ZOOM, 0.5);
          break;
        case 'a':
          s.pan(-KEY_PAN);
          break;
        case 'd':
          s.pan(KEY_PAN);
          break;
        case 'escape':
          s.select(null);
          break;
        case 'b':
          s.addBookmark(bookmarkTime(s, pointer));
          break;
        case 'enter':
          // On the focused canvas: the visible window becomes the selected range (the keyboard's drag).
          if (e.target !== canvas) return;
          s.select(s.viewport);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('pointercancel', onUp);
    const onLeave = (): void => {
      pointer = null;
    };
    canvas.addEventListener('pointerleave', onLeave);
    canvas.addEventListener('wheel', onWheel, { passive: false });
    window.addEventListener('keydown', onKey);
    return () => {
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('pointercancel', onUp);
      canvas.removeEventListener('pointerleave', onLeave);
      canvas.removeEventListener('wheel', onWheel);
      window.removeEventListener('keydown', onKey);
    };
  }, [canvasRef, dragRef, view, handlers]);
}

/** Keys typed into a field are text, not timeline commands. */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}
