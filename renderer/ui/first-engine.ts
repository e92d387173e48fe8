/**
 * What the page starts before anything else (main.tsx imports this module first, so it runs
 * before React and the rest of the bundle are evaluated): the first engine worker, and — in the
 * browser host — the read of the host's file, fed to that worker at once, before the host has
 * even said which file it has. main.tsx adopts the read when `app.hello` names `/file` (the
 * browser host's first file), or drops it. Electron names its files `/file?n=…` after hello.
 */
import { EngineClient } from './engine-client.js';
import { feedStream } from './open-trace.js';

export const firstEngine = EngineClient.start();

/** Where the browser host serves the file it was started with. */
export const EARLY_FILE_URL = '/file';

export interface EarlyOpen {
  /** True once the whole file is in the engine (not yet ended); false when the host had no file. */
  readonly fed: Promise<boolean>;
  /** From now on `progress` hears the bytes imported (at once, the bytes so far). */
  follow(progress: (bytes: number) => void): void;
  /** The host's file is another one, or none: stop reading. */
  drop(): void;
}

function startEarlyOpen(): EarlyOpen {
  const controller = new AbortController();
  let bytes = 0;
  let listener: ((bytes: number) => void) | undefined;
  const fed = fetch(EARLY_FILE_URL, { credentials: 'same-origin', cache: 'no-store', signal: controller.signal }).then(async (response) => {
    if (!response.ok || !response.body) return false;
    // The name is not known yet: the engine's messages start with what is wrong, the page adds the name.
    await feedStream(firstEngine, '', response.body, (n) => {
      bytes = n;
      listener?.(n);
    });
    return true;
  });
  fed.catch(() => undefined); // taken by whoever adopts it
  return {
    fed,
    follow(progress) {
      listener = progress;
      progress(bytes);
    },
    drop: () => controller.abort(),
  };
}

/** Only the browser host serves its first file at a URL known before hello (no preload bridge here). */
export const earlyOpen: EarlyOpen | null = 'wireview' in window ? null : startEarlyOpen();
