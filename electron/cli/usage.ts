/** Help text and the error for a command line the CLI cannot use. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `usage: wireview <command> [options]

commands:
  import IN -o OUT.arrows          convert any supported input to a WireView trace
  info FILE [--json]               events, time span, counts by event/class/priority, loss
  export FILE --format jsonl|csv|pcapng [--filter EXPR] [-o OUT]
                                   write events (all, or those the filter keeps); stdout without -o

Inputs are recognised by content: WireView traces (Arrow IPC stream), pcap, pcapng, seed CSV.
Exit status: 0 success, 2 bad input or usage (one line on stderr), 1 internal error.
Docs: docs/cli.md, docs/filters.md, docs/json.md, docs/events.md`;
