/**
 * The open trace as the Flows view follows it: another trace at once, a growing one (live
 * capture, a new state every ~100 ms) at most once per FOLLOW_MS, since each new state makes the
 * engine rebuild the flow table.
 */
import { useEffect, useState } from 'react';
import type { OpenTrace } from '../../state/view-store.js';
import { useView } from '../app-context.js';

export const FOLLOW_MS = 1000;

const same = (a: OpenTrace | null, b: OpenTrace | null): boolean => a !== null && b !== null && a.name === b.name && a.baseNs === b.baseNs;

export function useSettledTrace(): OpenTrace | null {
  const trace = useView((s) => s.trace);
  const [settled, setSettled] = useState(trace);
  const [at, setAt] = useState(0);
  useEffect(() => {
    if (trace === settled) return;
    const wait = same(trace, settled) ? Math.max(0, at + FOLLOW_MS - Date.now()) : 0;
    const timer = setTimeout(() => {
      setSettled(trace);
      setAt(Date.now());
    }, wait);
    return () => clearTimeout(timer);
  }, [trace, settled, at]);
  return settled;
}
