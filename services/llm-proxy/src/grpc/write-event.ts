import type * as grpc from '@grpc/grpc-js';

/** Writes one message and waits for the transport to drain when it asks to, so a slow client slows the upstream read instead of growing a buffer. */
export function writeWithBackpressure<Message>(call: grpc.ServerWritableStream<unknown, Message>, message: Message): Promise<void> | void {
  if (call.write(message)) return;
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
  });
}
