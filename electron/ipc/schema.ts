/**
 * A small runtime schema for IPC payloads: each schema checks an unknown value and carries the
 * TypeScript type it admits, so a channel's declared type and its validation cannot drift apart.
 * Objects are closed (unknown keys are refused), strings and arrays are bounded: a forged message
 * cannot make the receiver hold more than the schema allows.
 */

export interface Schema<T> {
  /** Undefined when `value` fits; otherwise what is wrong, naming the path (`arg.port: …`). */
  check(value: unknown, path: string): string | undefined;
  /** Marks a schema that may be absent as an object member. */
  readonly optional?: true;
  /** Type carrier only; never set. */
  readonly _type?: T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
export type ObjectOf<S extends Shape> = { readonly [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
  readonly [K in OptionalKeys<S>]?: Infer<S[K]>;
};

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function string(maxLength = 4096): Schema<string> {
  return {
    check: (v, path) =>
      typeof v !== 'string' ? `${path}: expected a string, got ${typeName(v)}` : v.length > maxLength ? `${path}: longer than ${maxLength} characters` : undefined,
  };
}

export function integer(min = 0, max = Number.MAX_SAFE_INTEGER): Schema<number> {
  return {
    check: (v, path) =>
      typeof v !== 'number' || !Number.isInteger(v) ? `${path}: expected an integer, got ${typeName(v)}` : v < min || v > max ? `${path}: ${v} is not in ${min}…${max}` : undefined,
  };
}

export function boolean(): Schema<boolean> {
  return { check: (v, path) => (typeof v === 'boolean' ? undefined : `${path}: expected true or false, got ${typeName(v)}`) };
}

export function literal<const T extends string | number>(...values: T[]): Schema<T> {
  return { check: (v, path) => (values.includes(v as T) ? undefined : `${path}: expected one of ${values.map((x) => JSON.stringify(x)).join(', ')}`) };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return { check: (v, path) => (v === null ? undefined : inner.check(v, path)) };
}

export function optional<T>(inner: Schema<T>): Schema<T> & { optional: true } {
  return { optional: true, check: (v, path) => (v === undefined ? undefined : inner.check(v, path)) };
}

export function array<T>(item: Schema<T>, maxItems: number): Schema<readonly T[]> {
  return {
    check(v, path) {
      if (!Array.isArray(v)) return `${path}: expected an array, got ${typeName(v)}`;
      if (v.length > maxItems) return `${path}: more than ${maxItems} items`;
      for (let i = 0; i < v.length; i++) {
        const problem = item.check(v[i], `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    },
  };
}

export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const keys = Object.keys(shape);
  return {
    check(v, path) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return `${path}: expected an object, got ${typeName(v)}`;
      if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return `${path}: expected a plain object`;
      for (const k of Object.keys(v)) if (!Object.hasOwn(shape, k)) return `${path}: unexpected key ${JSON.stringify(k)}`;
      for (const k of keys) {
        const member = shape[k]!;
        const value = (v as Record<string, unknown>)[k];
        if (value === undefined && !member.optional) return `${path}.${k}: missing`;
        const problem = member.check(value, `${path}.${k}`);
        if (problem) return problem;
      }
      return undefined;
    },
  };
}

/** Throws a TypeError with the problem when `value` does not fit `schema`; returns it typed otherwise. */
export function validate<T>(schema: Schema<T>, value: unknown, path: string): T {
  const problem = schema.check(value, path);
  if (problem !== undefined) throw new TypeError(problem);
  return value as T;
}
