/**
 * A problem with the input (a damaged file, a bad filter), as opposed to a bug. Its message is one
 * line meant for the user; `offset` is the byte (files) or column (expressions) where it was found.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'InputError';
  }
}
