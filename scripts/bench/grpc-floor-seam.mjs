/**
 * The seam of floor 2 (the bare gRPC path): one bidirectional grpc-js method that both floor processes
 * share. Every request travels as frames on one long-lived stream, each frame `[call id: u32][kind: u8]
 * [protobuf]`, the protobuf being the project's own messages (ChatRequest up, ChatEventBatch down), so the
 * floor pays exactly the encoding nachos pays and none of the per-call cost of a gRPC call per request.
 */

export const MUX_METHOD = {
  Mux: {
    path: '/nachos.bench.v1.Floor/Mux',
    requestStream: true,
    responseStream: true,
    requestSerialize: (frame) => frame,
    requestDeserialize: (bytes) => bytes,
    responseSerialize: (frame) => frame,
    responseDeserialize: (bytes) => bytes,
  },
};

/** Up: a ChatRequest. Down: a ChatEventBatch, the answer's last ChatEventBatch, or an error message in UTF-8. */
export const FRAME = { request: 0, events: 1, lastEvents: 2, error: 3 };

export function encodeFrame(callId, kind, payload) {
  const frame = Buffer.allocUnsafe(5 + payload.length);
  frame.writeUInt32BE(callId, 0);
  frame[4] = kind;
  frame.set(payload, 5);
  return frame;
}

export function decodeFrame(frame) {
  return { callId: frame.readUInt32BE(0), kind: frame[4], payload: frame.subarray(5) };
}
