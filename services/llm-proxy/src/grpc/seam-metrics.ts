import { getChannelzHandlers, type Server, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { Counter, type Registry } from 'prom-client';

type Handler<Request, Response> = (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>) => void;

/** Calls one of grpc-js's in-process channelz handlers as a function (no RPC is made). */
function ask<Request, Response>(handler: Handler<Request, Response>, request: Request): Promise<Response> {
  return new Promise((resolve, reject) => {
    handler({ request } as ServerUnaryCall<Request, Response>, (error, response) => (error || !response ? reject(error ?? new Error('no channelz answer')) : resolve(response)));
  });
}

/**
 * Traffic on the gRPC seam as the server itself tallies it (grpc-js channelz): HTTP/2 streams the gateways
 * opened and protobuf messages each way. Read at scrape time, so the request path pays nothing, and counted
 * on the server, so the figures stay true however a gateway calls (a call per request or one long-lived
 * stream for many). Messages of a connection that closed between two scrapes are counted up to the scrape
 * before it closed.
 */
export function registerSeamMetrics(registry: Registry, server: Server): void {
  const handlers = getChannelzHandlers();
  const serverId = String(server.getChannelzRef().id);
  /** Messages seen on connections that have since closed, and the last tally of each open one. */
  const closed = { sent: 0, received: 0 };
  const open = new Map<number, { sent: number; received: number }>();

  async function tallyMessages(): Promise<{ sent: number; received: number }> {
    const seen = new Set<number>();
    for (let start = 0, end = false; !end; ) {
      const page = await ask(handlers.GetServerSockets, { server_id: serverId, start_socket_id: String(start), max_results: '100' });
      const refs = page.socket_ref ?? [];
      for (const ref of refs) {
        const id = Number(ref.socket_id);
        const { socket } = await ask(handlers.GetSocket, { socket_id: String(id), summary: false });
        seen.add(id);
        open.set(id, { sent: Number(socket?.data?.messages_sent ?? 0), received: Number(socket?.data?.messages_received ?? 0) });
        start = id + 1;
      }
      end = page.end || refs.length === 0;
    }
    for (const [id, tally] of open) {
      if (seen.has(id)) continue;
      closed.sent += tally.sent;
      closed.received += tally.received;
      open.delete(id);
    }
    let sent = closed.sent;
    let received = closed.received;
    for (const tally of open.values()) {
      sent += tally.sent;
      received += tally.received;
    }
    return { sent, received };
  }

  new Counter({
    name: 'nachos_llm_proxy_grpc_streams_opened_total',
    help: 'HTTP/2 streams (gRPC calls) opened to this llm-proxy by its clients.',
    registers: [registry],
    async collect() {
      const { server: info } = await ask(handlers.GetServer, { server_id: serverId });
      this.reset();
      this.inc(Number(info?.data?.calls_started ?? 0));
    },
  });
  new Counter({
    name: 'nachos_llm_proxy_grpc_messages_total',
    help: 'Protobuf messages on the gRPC seam, by direction (received from clients, sent to them).',
    labelNames: ['direction'],
    registers: [registry],
    async collect() {
      const { sent, received } = await tallyMessages();
      this.reset();
      this.inc({ direction: 'received' }, received);
      this.inc({ direction: 'sent' }, sent);
    },
  });
}
