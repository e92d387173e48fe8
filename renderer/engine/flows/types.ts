/**
 * The flow API: what `buildFlows` derives from a store's TCP events and what the Engine hands the
 * flow views (list, ladder, charts) and the CLI. Plain data only (numbers, strings, typed arrays),
 * so results cross the worker boundary unchanged. Times are ns relative to `store.baseNs`, like
 * every Engine result; the CLI turns them into absolute ns. docs/flows.md describes the rules.
 */

export type Side = 'client' | 'server';

export interface Endpoint {
  readonly addr: string;
  readonly port: number;
}

export type HandshakeStatus = 'established' | 'refused' | 'timeout' | 'incomplete' | 'not_seen';
export type FlowEnd = 'fin' | 'rst' | 'open';

/** The TCP options one side put on its SYN (or SYN-ACK). */
export interface SynOptions {
  readonly mss: number | null;
  readonly wscale: number | null;
  readonly sack: boolean;
  readonly timestamps: boolean;
  /** SYN with ECE+CWR (client) or SYN-ACK with ECE (server): ECN setup requested / accepted. */
  readonly ecn: boolean;
}

/** A reset: which side sent it, when, in which phase, and what the kernel said about it where known. */
export interface ResetInfo {
  readonly by: Side;
  readonly ts: number;
  /** Global row of the RST packet (or of the tcp.reset_* event when no packet was captured). */
  readonly row: number;
  readonly phase: 'handshake' | 'established' | 'closing';
  /** Drop reason of the segment that provoked it (drop.* of the flow just before), e.g. NO_SOCKET. */
  readonly dropReason: string | null;
  /** TCP state of the resetting socket (tcp.reset_sent / tcp.state) when captured. */
  readonly state: string | null;
}

export interface Handshake {
  readonly status: HandshakeStatus;
  /** SYNs the client sent after its first one (same ISN). */
  readonly synRetransmits: number;
  /** Times (relative ns) of every SYN the client sent; their gaps are the backoff. */
  readonly synTimes: readonly number[];
  readonly synackRetransmits: number;
  /** First SYN → ACK completing the handshake, as tshark's tcp.analysis.initial_rtt. */
  readonly rttNs: number | null;
  /** Last SYN → first SYN-ACK (the network + server part), and SYN-ACK → ACK (the client part). */
  readonly synToSynackNs: number | null;
  readonly synackToAckNs: number | null;
  /** Negotiated: the smaller MSS of both sides (either one when only one offered). */
  readonly mss: number | null;
  /** Negotiated window scaling (both sides offered it), null otherwise. */
  readonly wscale: { readonly client: number; readonly server: number } | null;
  readonly sack: boolean;
  readonly timestamps: boolean;
  readonly ecn: boolean;
  readonly client: SynOptions | null;
  readonly server: SynOptions | null;
  /** Both sides sent a SYN without ACK. */
  readonly simultaneousOpen: boolean;
  /** The server answered (SYN-ACK) but the handshake never completed, nor was it reset. */
  readonly halfOpen: boolean;
  /** SYN or SYN-ACK retransmitted, or the RTT is an outlier among the table's flows. */
  readonly slow: boolean;
  /** The RST that refused or broke the handshake. */
  readonly reset: ResetInfo | null;
  /** ETIMEDOUT / ECONNREFUSED… of the client's connect, when captured. */
  readonly connectErrno: string | null;
}

export interface Teardown {
  readonly end: FlowEnd;
  /** Sides in the order they sent their first FIN. */
  readonly finBy: readonly Side[];
  readonly reset: ResetInfo | null;
  /** The side that went through TIME_WAIT (tcp.state when captured, else the first FIN of a FIN/FIN close). */
  readonly timeWait: Side | null;
}

/** One connection. `id` is its index in the FlowTable. */
export interface FlowSummary {
  readonly id: number;
  readonly proto: 'tcp';
  readonly ipver: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** outgoing: this host opened it; incoming: the peer did; null: unknown (imports without direction). */
  readonly direction: 'incoming' | 'outgoing' | null;
  /** Names of the server address from the trace's DNS answers. */
  readonly serverNames: readonly string[];
  /** Socket cookies of this connection's sockets on this host (live captures). */
  readonly cookies: readonly number[];
  readonly firstTs: number;
  readonly lastTs: number;
  /** Every row of the flow (packets, socket calls, state changes…). */
  readonly rowCount: number;
  readonly firstRow: number;
  /** TCP segments on the wire (a segment seen leaving one local socket and entering another counts once). */
  readonly packets: number;
  readonly packetsToServer: number;
  readonly packetsToClient: number;
  /** IP bytes (pkt_len) each way. */
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  /** TCP payload bytes each way. */
  readonly payloadToServer: number;
  readonly payloadToClient: number;
  readonly pid: number | null;
  readonly comm: string | null;
  readonly handshake: Handshake;
  readonly teardown: Teardown;
  /** Retransmitted segments seen in the packets (both ways), or tcp.retransmit events when no packets. */
  readonly retransmissions: number;
  /** tcp.retransmit + tcp.retransmit_synack events (the kernel's own count, live captures). */
  readonly kernelRetransmits: number;
  /** drop.* events of the flow. */
  readonly drops: number;
  /** flow.tcp_begin: when the handshake completed (computed, not a stored row). */
  readonly begin: { readonly ts: number; readonly row: number } | null;
  /** flow.tcp_end: the last FIN's ACK / the RST / CLOSE (computed). */
  readonly endAt: { readonly ts: number; readonly row: number } | null;
}

export type FlowSortKey = 'start' | 'duration' | 'bytes_to_server' | 'bytes_to_client' | 'retransmissions' | 'handshake' | 'rtt' | 'process' | 'packets';

export interface FlowsArgs {
  /** Keep flows with at least one row the view filter keeps (empty = all). */
  readonly filter?: string | undefined;
  readonly sort?: { readonly key: FlowSortKey; readonly descending?: boolean } | undefined;
  readonly offset?: number;
  readonly limit?: number;
}

export interface FlowList {
  /** Flows matching the filter (before offset/limit). */
  readonly total: number;
  readonly flows: readonly FlowSummary[];
}

/** One item of a ladder (sequence) diagram, in time order. `dt` is ns since the previous item. */
export type LadderItem =
  | {
      readonly kind: 'packet';
      readonly row: number;
      readonly ts: number;
      readonly dt: number;
      readonly from: Side;
      /** Where this host saw it: output (left a local socket), input (entered one), null (imports). */
      readonly observed: 'input' | 'output' | null;
      /** Row of the same segment seen at the other local socket (both ends on this host), or −1. */
      readonly peerRow: number;
      readonly peerTs: number | null;
      readonly flags: readonly string[];
      readonly seq: number;
      readonly ack: number;
      /** seq/ack relative to each side's ISN (0 = the SYN). */
      readonly relSeq: number;
      readonly relAck: number;
      readonly len: number;
      readonly window: number;
      readonly retransmission: boolean;
    }
  | { readonly kind: 'state'; readonly row: number; readonly ts: number; readonly dt: number; readonly side: Side; readonly from: string; readonly to: string }
  | {
      readonly kind: 'call';
      readonly row: number;
      readonly ts: number;
      readonly dt: number;
      readonly side: Side;
      /** Event id: sock.connect, sock.accept, sock.send, sock.recv, sock.shutdown… */
      readonly event: string;
      readonly size: number | null;
      readonly latencyNs: number | null;
      readonly errno: string | null;
    }
  | { readonly kind: 'mark'; readonly row: number; readonly ts: number; readonly dt: number; readonly side: Side | null; readonly event: string; readonly detail: string }
  | { readonly kind: 'gap'; readonly ts: number; readonly dt: number; readonly durationNs: number };

export interface FlowLadder {
  readonly flow: FlowSummary;
  readonly items: readonly LadderItem[];
  /** Items left out after `limit`. */
  readonly truncated: number;
}

/** Chart series of one flow: parallel arrays of relative ns and values. */
export interface Series {
  readonly t: Float64Array;
  readonly v: Float64Array;
}

export interface FlowSeries {
  /** Bytes per second of IP bytes, per bucket of `bucketNs`, each way. */
  readonly bucketNs: number;
  readonly throughputToServer: Series;
  readonly throughputToClient: Series;
  /** Relative sequence number of each data segment (Stevens graph), each way. */
  readonly seqToServer: Series;
  readonly seqToClient: Series;
  /** tcp.probe samples (live captures): smoothed RTT (ns), cwnd (segments), receive window (bytes). */
  readonly srttNs: Series;
  readonly cwnd: Series;
  readonly rcvWnd: Series;
  /** Advertised receive window (scaled when window scaling was negotiated) each way. */
  readonly windowToServer: Series;
  readonly windowToClient: Series;
  /** Retransmitted segments: relative seq; `v` of the other side's marks in the other array. */
  readonly retransToServer: Series;
  readonly retransToClient: Series;
}
