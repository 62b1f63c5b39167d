import type { FinishReason, StreamEvent, Usage } from '@nachos/plugin-sdk';

export interface AggregatedToolCall {
  id: string;
  name: string;
  arguments: string;
  signature?: string;
}

/** A whole response built from canonical events, for clients that did not ask for a stream. */
export interface AggregatedResponse {
  id: string;
  model: string;
  provider: string;
  endpoint: string;
  attempts: number;
  text: string;
  reasoning: string;
  reasoningSignature?: string;
  /** Redacted reasoning blocks, each opaque data to hand back verbatim in a later turn. */
  redactedReasoning: string[];
  toolCalls: AggregatedToolCall[];
  finishReason: FinishReason;
  stopSequence?: string;
  usage: Usage;
}

/**
 * Folds an event stream into one response. A tool call always finishes as `tool_calls`, whatever the
 * upstream said, because OpenAI-style agents key tool execution on it.
 */
export async function aggregateEvents(events: AsyncIterable<StreamEvent> | Iterable<StreamEvent>): Promise<AggregatedResponse> {
  const aggregator = new EventAggregator();
  for await (const event of events) aggregator.add(event);
  return aggregator.result();
}

/** The fold of {@link aggregateEvents} one event at a time, for a caller that pulls the events itself. */
export class EventAggregator {
  readonly #response: AggregatedResponse = {
    id: '',
    model: '',
    provider: '',
    endpoint: '',
    attempts: 1,
    text: '',
    reasoning: '',
    redactedReasoning: [],
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: 0, outputTokens: 0 },
  };
  readonly #calls = new Map<number, AggregatedToolCall>();

  add(event: StreamEvent): void {
    const response = this.#response;
    switch (event.type) {
      case 'start':
        response.id = event.id;
        response.model = event.model;
        response.provider = event.provider ?? '';
        response.endpoint = event.endpoint ?? '';
        response.attempts = event.attempts ?? 1;
        break;
      case 'text-delta':
        response.text += event.text;
        break;
      case 'reasoning-delta':
        response.reasoning += event.text;
        if (event.signature) response.reasoningSignature = (response.reasoningSignature ?? '') + event.signature;
        break;
      case 'redacted-reasoning':
        response.redactedReasoning.push(event.data);
        break;
      case 'tool-call-start':
        this.#calls.set(event.index, { id: event.id, name: event.name, arguments: '', ...(event.signature ? { signature: event.signature } : {}) });
        break;
      case 'tool-call-delta': {
        const call = this.#calls.get(event.index);
        if (call) call.arguments += event.argumentsDelta;
        break;
      }
      case 'finish':
        response.finishReason = event.reason;
        if (event.stopSequence) response.stopSequence = event.stopSequence;
        break;
      case 'usage':
        response.usage = event.usage;
        break;
      default:
        break;
    }
  }

  /** The response so far; taken once, when the events have ended. */
  result(): AggregatedResponse {
    const response = this.#response;
    if (this.#calls.size > 0) {
      response.toolCalls = [...this.#calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
      response.finishReason = 'tool_calls';
    }
    return response;
  }
}
