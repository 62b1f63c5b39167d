/**
 * Limits both services apply to the seam, so that nothing a client sends can exceed what the other side
 * accepts and fail at the transport, where a failure would hit every call sharing the connection.
 */

/**
 * The largest gRPC message either service sends or accepts. It sits above the gateway's 20 MB body limit
 * with room for the protobuf form of a request (base64 images stay strings of the same size; JSON numbers
 * inside tool schemas grow). The gateway answers 413 for a request whose encoding is larger, before it
 * sends anything.
 */
export const MAX_SEAM_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * Error messages are cut to this many characters before they cross the seam: a message that quotes client
 * input (a 100 KB model name) must not become a 100 KB status trailer or frame.
 */
export const MAX_STATUS_MESSAGE_LENGTH = 1_024;

export function boundStatusMessage(message: string): string {
  return message.length <= MAX_STATUS_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_STATUS_MESSAGE_LENGTH - 1)}…`;
}
