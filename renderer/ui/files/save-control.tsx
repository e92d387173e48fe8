/**
 * Save / Export in the browser host: the host converts what the page shows (the file it serves,
 * or the stopped capture's trace) and streams it (`GET /export`); the page shows the bytes
 * arriving, then hands them to the browser as a download. Electron saves from its File menu
 * (Save As…, Export…) into a file chosen in a native dialog instead.
 */
import { useState, type JSX } from 'react';

export type SaveSource = 'file' | 'capture';

const FORMATS = [
  { value: 'arrows', label: 'WireView trace (.arrows)' },
  { value: 'pcapng', label: 'pcapng (Wireshark)' },
  { value: 'jsonl', label: 'JSON Lines' },
  { value: 'csv', label: 'CSV (seed layout)' },
] as const;

const MIB = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** The file name of a Content-Disposition header (`attachment; filename="x.pcapng"`), or a fallback. */
function fileName(disposition: string | null, fallback: string): string {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? fallback;
}

export function SaveControl({ source, onError }: { readonly source: SaveSource; readonly onError: (message: string) => void }): JSX.Element {
  const [format, setFormat] = useState<string>('arrows');
  const [received, setReceived] = useState<number | null>(null);

  const save = async (): Promise<void> => {
    setReceived(0);
    try {
      const response = await fetch(`/export?source=${source}&format=${format}`, { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok || !response.body) throw new Error((await response.text()).trim() || `the host answered ${response.status}`);
      const reader = response.body.getReader();
      const parts: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parts.push(value);
        total += value.length;
        setReceived(total);
      }
      const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: 'application/octet-stream' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName(response.headers.get('Content-Disposition'), `trace.${format}`);
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      onError(`Save: ${(e as Error).message}`);
    } finally {
      setReceived(null);
    }
  };

  return (
    <div className="save-control" role="toolbar" aria-label="Save">
      <select aria-label="Save as" value={format} onChange={(e) => setFormat(e.target.value)} disabled={received !== null}>
        {FORMATS.map((f) => (
          <option key={f.value} value={f.value}>
            {f.label}
          </option>
        ))}
      </select>
      <button type="button" disabled={received !== null} onClick={() => void save()}>
        Save…
      </button>
      {received !== null && (
        <>
          <progress aria-label="Saving" />
          <span data-received={received}>{MIB.format(received / 1048576)} MiB</span>
        </>
      )}
    </div>
  );
}
