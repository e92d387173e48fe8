/** Settings kept across sessions in localStorage (absent in Node; blocked or full storage is not an error). */

/** What localStorage offers. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

export const browserStorage = (): KeyValueStorage | undefined => (typeof localStorage === 'undefined' ? undefined : localStorage);

/** The parsed JSON under `item`, or undefined when there is none or it cannot be read. */
export function readJson(storage: KeyValueStorage | undefined, item: string): unknown {
  try {
    const text = storage?.getItem(item);
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** Stores `value` as JSON under `item`; when storage refuses, the setting lasts for this session. */
export function writeJson(storage: KeyValueStorage | undefined, item: string, value: unknown): void {
  try {
    storage?.setItem(item, JSON.stringify(value));
  } catch {
    // blocked or full
  }
}
