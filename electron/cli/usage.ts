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
  flows FILE [--json] [--filter EXPR]
                                   TCP connections with handshake diagnosis, bytes, retransmissions
                                   (those with an event the filter keeps); --json: one object a line
  capture -o FILE [--duration SEC] [--classes core,aux] [--priority LEVEL] [--enable ID,…]
          [--disable ID,…] [--addr src|dst:in|out:CIDR]… [--port src|dst:in|out:PORT[-PORT]]…
          [--pid N] [--comm NAME] [--filter EXPR] [--reverse-dns]
                                   live capture (eBPF) to a trace file until --duration or Ctrl-C
  capture --probe                  which source each event uses on this kernel, or why none
  serve [FILE] [--port N]          the app in a browser: serves it on 127.0.0.1 and prints its URL
                                   (with the access token); Ctrl-C stops

Inputs are recognised by content: WireView traces (Arrow IPC stream), pcap, pcapng, seed CSV.
Exit status: 0 success, 2 bad input or usage (one line on stderr), 1 internal error.
Docs: docs/cli.md, docs/app.md, docs/capture.md, docs/filters.md, docs/json.md, docs/events.md, docs/flows.md`;
