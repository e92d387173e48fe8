/**
 * What the capture controls do, in one place for every way they are reached (the capture bar,
 * the welcome screen, Electron's Capture menu): start with the saved options, pause, resume,
 * stop, open the options (asking the host once which source each event uses here). Starting gives
 * the capture a fresh engine that followCapture fills as the host writes the trace.
 */
import type { CaptureStatus } from '../../../electron/ipc/contract.js';
import type { CaptureStoreApi } from '../../state/capture-store.js';
import type { ViewStoreApi } from '../../state/view-store.js';
import type { EngineClient } from '../engine-client.js';
import type { Host } from '../host-connect.js';
import { fetchedBytes, followCapture, PostedBytes, type CaptureBytes } from './live-capture.js';

/** How to grant capture privileges (docs/capture.md, "Privileges"), shown under a failed start. */
export const GRANT_STEPS = [
  'Run WireView (or `wireview serve`) as root, or',
  'give Node the capabilities: sudo setcap cap_bpf,cap_perfmon,cap_net_admin+ep "$(command -v node)", or',
  'install build/org.wireview.helper.policy into /usr/share/polkit-1/actions/ so that pkexec can ask for your password.',
] as const;

/** True when a helper error is about privileges (then the grant steps are shown). */
export function needsPrivileges(message: string): boolean {
  return /privilege|permission|not permitted|pkexec|sudo|not authori[sz]ed|EPERM|EACCES/i.test(message);
}

export class CaptureController {
  private posted: PostedBytes | null = null;

  constructor(
    private readonly host: Host,
    private readonly view: ViewStoreApi,
    readonly store: CaptureStoreApi,
    /** Replaces the page's engine with a fresh one for the capture and returns it. */
    private readonly freshEngine: () => EngineClient,
  ) {
    // Electron: main posts the capture's trace bytes on the live port; keep them for the follower.
    host.onLiveBatch((message) => this.posted?.push(message.bytes));
  }

  get active(): boolean {
    const state = this.store.getState().status?.state;
    return state === 'running' || state === 'paused' || state === 'helper-lost';
  }

  async start(): Promise<void> {
    if (this.active) return;
    const { options } = this.store.getState();
    await this.act('start', async () => {
      const source: CaptureBytes = this.host.kind === 'electron' ? (this.posted = new PostedBytes()) : fetchedBytes;
      const started = await this.host.call('capture.start', { filter: options });
      this.store.getState().setStatus(started);
      followCapture(this.host, this.freshEngine(), this.view, source, started, (s) => this.status(s));
    });
  }

  pause(): Promise<void> {
    return this.act('pause', async () => this.status(await this.host.call('capture.pause', {})));
  }

  resume(): Promise<void> {
    return this.act('resume', async () => this.status(await this.host.call('capture.resume', {})));
  }

  stop(): Promise<void> {
    return this.act('stop', async () => this.status(await this.host.call('capture.stop', {})));
  }

  /** Pause when running, resume when paused or after the helper was lost (Electron's Capture ▸ Pause). */
  togglePause(): Promise<void> {
    return this.store.getState().status?.state === 'running' ? this.pause() : this.resume();
  }

  /** Opens the options dialog; the kernel's probe is asked once, in the background. */
  openOptions(): void {
    const state = this.store.getState();
    state.openDialog();
    if (state.probe) return;
    void this.host.call('capture.probe', {}).then(
      (probe) => this.store.getState().setProbe(probe),
      (e: Error) => this.store.getState().setProbe({ available: false, message: e.message.slice(0, 2048), events: [] }),
    );
  }

  private status(s: CaptureStatus): void {
    const state = this.store.getState();
    state.setStatus(s);
    if (s.message) state.setError(s.message);
  }

  private async act(action: string, run: () => Promise<void>): Promise<void> {
    const state = this.store.getState();
    state.setBusy(true);
    state.setError(null);
    try {
      await run();
    } catch (e) {
      state.setError(`Capture could not ${action}: ${(e as Error).message}`);
    } finally {
      this.store.getState().setBusy(false);
    }
  }
}
