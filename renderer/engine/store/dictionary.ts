/** Interns strings to dense ids (0, 1, 2…) so columns hold numbers; one dictionary per string field. */
export class StringDict {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];

  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** The string of `id`; '' for an id this dictionary never gave out. */
  get(id: number): string {
    return this.values[id] ?? '';
  }

  find(s: string): number | undefined {
    return this.ids.get(s);
  }

  get size(): number {
    return this.values.length;
  }

  /** All strings, index = id. Read-only view for column-wise evaluation and file writers. */
  all(): readonly string[] {
    return this.values;
  }
}
