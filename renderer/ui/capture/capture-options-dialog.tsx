/**
 * Capture ▸ Options: a modal dialog (native <dialog>: focus stays inside, Escape cancels) with
 * WindView's capture rules — classes, priority level, one switch per event grouped by class (with
 * the source each uses on this kernel, from the helper's probe), address and port filters with
 * type and direction, process ids and command names. Save keeps the options (they persist);
 * Save and start also starts a capture with them.
 */
import { useEffect, useId, useRef, useState, type JSX, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { CLASSES, EVENTS, PRIORITIES, type EventClass } from '../../engine/model/events.js';
import { DEFAULT_CAPTURE_OPTIONS, eventSelected, withEventSwitch } from '../../state/capture-store.js';
import type { CaptureController } from './capture-controller.js';
import { formOf, MAX_RULES, optionsOf, type CaptureForm, type RuleDirection, type RuleType } from './capture-form.js';

function RuleKind({ label, type, direction, onChange }: { label: string; type: RuleType; direction: RuleDirection; onChange: (type: RuleType, direction: RuleDirection) => void }): JSX.Element {
  return (
    <>
      <select aria-label={`${label} type`} value={type} onChange={(e) => onChange(e.target.value as RuleType, direction)}>
        <option value="src">source</option>
        <option value="dst">destination</option>
      </select>
      <select aria-label={`${label} direction`} value={direction} onChange={(e) => onChange(type, e.target.value as RuleDirection)}>
        <option value="both">in and out</option>
        <option value="in">in (received)</option>
        <option value="out">out (sent)</option>
      </select>
    </>
  );
}

/** A list of address or port rules: type and direction, the rule's own fields, Remove; Add below (at most MAX_RULES). */
function RuleList<R extends { type: RuleType; direction: RuleDirection }>({
  what,
  rows,
  blank,
  onChange,
  fields,
}: {
  what: string;
  rows: readonly R[];
  blank: R;
  onChange: (rows: R[]) => void;
  fields: (row: R, i: number, update: (patch: Partial<R>) => void) => ReactNode;
}): JSX.Element {
  const update = (i: number, patch: Partial<R>): void => onChange(rows.map((x, k) => (k === i ? { ...x, ...patch } : x)));
  return (
    <fieldset>
      <legend>{what}s</legend>
      {rows.map((row, i) => (
        <div className="capture-rule" key={i}>
          <RuleKind label={`${what} ${i + 1}`} type={row.type} direction={row.direction} onChange={(type, direction) => update(i, { type, direction } as Partial<R>)} />
          {fields(row, i, (patch) => update(i, patch))}
          <button type="button" aria-label={`Remove ${what.toLowerCase()} ${i + 1}`} onClick={() => onChange(rows.filter((_x, k) => k !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" disabled={rows.length >= MAX_RULES} onClick={() => onChange([...rows, { ...blank }])}>
        Add {what.toLowerCase()}
      </button>
    </fieldset>
  );
}

function EventSwitches({ form, setForm, cls, sources }: { form: CaptureForm; setForm: (f: CaptureForm) => void; cls: EventClass; sources: ReadonlyMap<string, string> | null }): JSX.Element {
  return (
    <fieldset className="capture-events">
      <legend>{cls} events</legend>
      {EVENTS.filter((e) => e.class === cls && e.id !== 'capture.lost').map((e) => (
        <label key={e.id} className="capture-event" title={e.description}>
          <input type="checkbox" checked={eventSelected(form.options, e)} onChange={(ev) => setForm({ ...form, options: withEventSwitch(form.options, e.id, ev.target.checked) })} />
          <span className="capture-event-id">{e.id}</span>
          <span className="capture-event-priority">{PRIORITIES[e.priority - 1]}</span>
          {sources && (
            <span className="capture-event-source" title={sources.get(e.id)}>
              {sources.get(e.id) ?? '—'}
            </span>
          )}
        </label>
      ))}
    </fieldset>
  );
}

export function CaptureOptionsDialog({ controller }: { readonly controller: CaptureController }): JSX.Element {
  const store = controller.store;
  const open = useStore(store, (s) => s.dialogOpen);
  const saved = useStore(store, (s) => s.options);
  const probe = useStore(store, (s) => s.probe);
  const active = useStore(store, (s) => s.status?.state === 'running' || s.status?.state === 'paused' || s.status?.state === 'helper-lost');
  const [form, setForm] = useState<CaptureForm>(() => formOf(saved));
  const [problem, setProblem] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      setForm(formOf(store.getState().options));
      setProblem(null);
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open, store]);

  const sources = probe?.available ? new Map(probe.events.map((e) => [e.id, e.sources.length > 0 ? e.sources.join(', ') : `none: ${e.why ?? 'no source'}`])) : null;
  const classes = form.options.classes ?? CLASSES;
  const setOptions = (patch: Partial<CaptureForm['options']>): void => setForm({ ...form, options: { ...form.options, ...patch } });

  const save = (andStart: boolean): void => {
    let options;
    try {
      options = optionsOf(form);
    } catch (e) {
      setProblem((e as Error).message);
      return;
    }
    store.getState().setOptions(options);
    store.getState().closeDialog();
    if (andStart) void controller.start();
  };

  return (
    <dialog
      ref={dialog}
      className="capture-dialog"
      aria-labelledby={titleId}
      onClose={() => store.getState().closeDialog()}
      // Keys typed in the dialog are its own: the timeline's page-wide keys (W/S/A/D, Escape) stay out.
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape') store.getState().closeDialog();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          save(false);
        }}
      >
        <h2 id={titleId}>Capture options</h2>
        <div className="capture-dialog-body">
          <section className="capture-rules">
            <fieldset>
              <legend>Classes</legend>
              {CLASSES.map((c) => (
                <label key={c}>
                  <input
                    type="checkbox"
                    checked={classes.includes(c)}
                    onChange={(e) => setOptions({ classes: e.target.checked ? CLASSES.filter((x) => x === c || classes.includes(x)) : classes.filter((x) => x !== c) })}
                  />
                  {c}
                </label>
              ))}
            </fieldset>
            <label className="capture-priority">
              Priority level
              <select value={form.options.priority ?? 7} onChange={(e) => setOptions({ priority: Number(e.target.value) })}>
                {PRIORITIES.map((p, i) => (
                  <option key={p} value={i + 1}>
                    {p} and above
                  </option>
                ))}
              </select>
            </label>

            <RuleList
              what="Address filter"
              rows={form.addrs}
              blank={{ type: 'dst', direction: 'both', cidr: '' }}
              onChange={(addrs) => setForm({ ...form, addrs })}
              fields={(a, i, update) => (
                <input className="capture-cidr" aria-label={`Address filter ${i + 1} address or CIDR`} placeholder="10.0.0.0/8" value={a.cidr} onChange={(e) => update({ cidr: e.target.value })} />
              )}
            />
            <RuleList
              what="Port filter"
              rows={form.ports}
              blank={{ type: 'dst', direction: 'both', from: '', to: '' }}
              onChange={(ports) => setForm({ ...form, ports })}
              fields={(p, i, update) => (
                <>
                  <input aria-label={`Port filter ${i + 1} port`} inputMode="numeric" value={p.from} onChange={(e) => update({ from: e.target.value })} />
                  –
                  <input aria-label={`Port filter ${i + 1} last port (optional)`} inputMode="numeric" value={p.to} onChange={(e) => update({ to: e.target.value })} />
                </>
              )}
            />

            <fieldset>
              <legend>Processes</legend>
              <label>
                Process ids
                <input placeholder="1234, 5678" value={form.pids} onChange={(e) => setForm({ ...form, pids: e.target.value })} />
              </label>
              <label>
                Commands
                <input placeholder="curl, firefox" value={form.comms} onChange={(e) => setForm({ ...form, comms: e.target.value })} />
              </label>
            </fieldset>
            <p className="capture-hint">
              Events without addresses or ports (devices, routes, neighbours) are not narrowed by address or port filters. Several filters of one kind: an event passes when one
              matches.
            </p>
          </section>

          <section className="capture-event-lists" aria-label="Events">
            {probe === null ? (
              <p className="capture-probe" role="status">
                Asking the kernel which source each event uses…
              </p>
            ) : !probe.available ? (
              <p className="capture-probe" role="status">
                Sources on this kernel are not known: {probe.message}
              </p>
            ) : (
              <p className="capture-probe">The last column is the source each event uses on this kernel.</p>
            )}
            {CLASSES.map((c) => (
              <EventSwitches key={c} cls={c} form={form} setForm={setForm} sources={sources} />
            ))}
          </section>
        </div>

        {problem && (
          <p className="capture-dialog-problem" role="alert">
            {problem}
          </p>
        )}
        {active && <p className="capture-hint">A capture is running: the options apply to the next one.</p>}
        <div className="capture-dialog-buttons">
          <button type="button" onClick={() => setForm(formOf(DEFAULT_CAPTURE_OPTIONS))}>
            Reset to defaults
          </button>
          <span className="spacer" />
          <button type="button" onClick={() => store.getState().closeDialog()}>
            Cancel
          </button>
          <button type="submit">Save</button>
          <button type="button" disabled={active} onClick={() => save(true)}>
            Save and start
          </button>
        </div>
      </form>
    </dialog>
  );
}
