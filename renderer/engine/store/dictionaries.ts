import { AddressDict } from './address-dict.js';
import { StringDict } from './dictionary.js';

/** The dictionaries of one store, shared by all of its batches: one per string field, one for addresses. */
export class Dictionaries {
  readonly addrs = new AddressDict();
  private readonly byField = new Map<string, StringDict>();

  strings(field: string): StringDict {
    let d = this.byField.get(field);
    if (!d) {
      d = new StringDict();
      this.byField.set(field, d);
    }
    return d;
  }
}
