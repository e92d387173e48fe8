import type { FlowSummary, ResetInfo, SynOptions } from './types.js';

/**
 * The JSON object of one flow (`wireview flows --json`, docs/flows.md): snake_case keys, times as
 * absolute integer ns (bigint, written exactly by jsonText), durations in ns.
 */
export function flowJson(flow: FlowSummary, baseNs: bigint): Record<string, unknown> {
  const abs = (t: number): bigint => baseNs + BigInt(Math.round(t));
  const h = flow.handshake;
  const reset = (r: ResetInfo | null): Record<string, unknown> | null =>
    r && { by: r.by, phase: r.phase, ts_ns: abs(r.ts), drop_reason: r.dropReason, state: r.state };
  const options = (o: SynOptions | null): Record<string, unknown> | null => o && { mss: o.mss, wscale: o.wscale, sack: o.sack, timestamps: o.timestamps, ecn: o.ecn };
  const backoff = h.synTimes.slice(1).map((t, i) => Math.round(t - h.synTimes[i]!));
  return {
    id: flow.id,
    proto: flow.proto,
    ipver: flow.ipver,
    client: flow.client,
    server: flow.server,
    direction: flow.direction,
    server_names: flow.serverNames,
    first_ts_ns: abs(flow.firstTs),
    last_ts_ns: abs(flow.lastTs),
    packets: flow.packets,
    packets_each: { to_server: flow.packetsToServer, to_client: flow.packetsToClient },
    bytes: { to_server: flow.bytesToServer, to_client: flow.bytesToClient },
    payload: { to_server: flow.payloadToServer, to_client: flow.payloadToClient },
    pid: flow.pid,
    comm: flow.comm,
    handshake: {
      status: h.status,
      syn_retransmits: h.synRetransmits,
      syn_backoff_ns: backoff,
      synack_retransmits: h.synackRetransmits,
      rtt_ns: h.rttNs,
      syn_to_synack_ns: h.synToSynackNs,
      synack_to_ack_ns: h.synackToAckNs,
      mss: h.mss,
      wscale: h.wscale,
      sack: h.sack,
      timestamps: h.timestamps,
      ecn: h.ecn,
      simultaneous_open: h.simultaneousOpen,
      half_open: h.halfOpen,
      slow: h.slow,
      reset: reset(h.reset),
      connect_errno: h.connectErrno,
      client_options: options(h.client),
      server_options: options(h.server),
    },
    end: flow.teardown.end,
    teardown: { fin_by: flow.teardown.finBy, reset: reset(flow.teardown.reset), time_wait: flow.teardown.timeWait },
    retransmissions: flow.retransmissions,
    kernel_retransmits: flow.kernelRetransmits,
    drops: flow.drops,
    begin_ts_ns: flow.begin ? abs(flow.begin.ts) : null,
    end_ts_ns: flow.endAt ? abs(flow.endAt.ts) : null,
  };
}
