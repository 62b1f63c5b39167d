import { randomUUID } from 'node:crypto';
import type { EventLoopLag, HeaderRule, Logger, NachosConfig, SharedState } from '@nachos/common';
import { ProviderError, type CallSignal, type ChatRequest, type Secret, type StartEvent, type StreamEvent } from '@nachos/plugin-sdk';
import { applyHeaderRules } from './apply-header-rules.js';
import { attemptCallOptions } from './attempt-call-options.js';
import { attemptCandidates } from './attempt-candidates.js';
import { backoffDelayMs, sleep } from './backoff.js';
import { decideCooldown } from './cooldown-policy.js';
import { credentialCooldownKey, modelCooldownKey } from './cooldown-keys.js';
import type { Credential } from './credential.js';
import type { EndpointRateLimit } from './endpoint-rate-limit.js';
import { guardUpstreamEvents } from './guard-upstream-events.js';
import type { LoadBalancer } from './load-balancer.js';
import { matchesModelPattern } from './match-model-pattern.js';
import type { ActiveEndpoint } from '../endpoints/active-endpoint.js';
import type { ModelRoute } from './model-route.js';
import type { ModelTable } from './model-table.js';
import type { RetryBudget } from './retry-budget.js';
import type { RouterMetrics } from './router-metrics.js';
import { RoutedRequest } from './routed-request.js';
import { holdUpstreamLease } from './upstream-lease.js';

export interface RouterDependencies {
  table: () => ModelTable;
  llm: NachosConfig['llm'];
  state: SharedState;
  balancer: LoadBalancer;
  rateLimit: EndpointRateLimit;
  budget: RetryBudget;
  metrics: RouterMetrics;
  headerRules: readonly HeaderRule[];
  logger: Logger;
  /** This process's event-loop lag: a timeout while it is high is our saturation, not the provider's slowness. */
  lag: EventLoopLag;
}

export interface ChatCall {
  requestId: string;
  signal: CallSignal;
  /** The caller's own provider key (BYOK): used only on endpoints whose provider has `forward_token`. */
  providerKey?: Secret;
  /** Model patterns the caller's gateway key may use; no candidate outside them is ever tried. */
  allowedModels?: readonly string[];
  /** Client headers the gateway passed on for `[[header_rules]]`. */
  clientHeaders?: Readonly<Record<string, string>>;
}

/**
 * Takes a chat's events in order, called by the router as each is ready (no generator between them). A
 * promise it returns holds the next event back until it settles, which is how a slow reader slows the
 * upstream; an error it throws ends the chat with that error, the attempt abandoned.
 */
export type ChatEventSink = (event: StreamEvent) => Promise<void> | void;

/** The credential name of a caller's own key; it never enters the shared cooldowns. */
const CALLER_CREDENTIAL = 'caller';

interface Attempt {
  route: ModelRoute;
  credential: Credential;
}

/**
 * The heart of llm-proxy: serves a chat from the first route and key that can, failing over along
 * the candidates on retryable failures (429, 408, 5xx, timeouts, connection errors, a rejected key)
 * only while nothing has been relayed. The `start` event is held back until the first content event,
 * so a stall before the first token still fails over. After that, a failure ends the stream as is.
 * Request errors (400-class) never fail over.
 */
export class Router {
  readonly #dependencies: RouterDependencies;
  readonly #serverErrorStreaks = new Map<string, number>();

  constructor(dependencies: RouterDependencies) {
    this.#dependencies = dependencies;
  }

  chat(request: ChatRequest, call: ChatCall, emit: ChatEventSink): Promise<void> {
    return this.#serve(new RoutedRequest(request), call, emit);
  }

  /** `chat`, with the request read only through `routed`, which lets it go once an attempt commits. */
  async #serve(routed: RoutedRequest, call: ChatCall, emit: ChatEventSink): Promise<void> {
    const { llm, budget, logger, lag } = this.#dependencies;
    const model = routed.model;
    // A plugin that blocks the loop must show as lag even when its call is the first in a while.
    lag.noteWork();
    const candidates = allowedFor(model, await attemptCandidates(model, this.#dependencies.table(), llm, this.#dependencies.balancer), call.allowedModels);
    budget.recordRequest();
    let attempts = 0;
    let lastError: ProviderError | undefined;
    let waitedForCooldown = false;
    let limitedForMs: number | undefined;
    for (;;) {
      const { usable, shortestCooldownMs, shortestLimitMs } = await this.#usableAttempts(candidates, call.providerKey);
      limitedForMs = shortestLimitMs;
      for (const attempt of usable) {
        if (call.signal.aborted) throw call.signal.reason;
        if (attempts >= llm.routing.max_attempts) break;
        if (attempts > 0) {
          if (!budget.tryRetry()) {
            logger.warn('retry budget exhausted; not failing over', { requestId: call.requestId });
            break;
          }
          this.#dependencies.metrics.failovers.inc();
          await sleep(backoffDelayMs(attempts - 1, llm.routing.backoff_base_ms, llm.routing.backoff_max_ms), call.signal);
        }
        attempts += 1;
        let committed = false;
        let relayed = 0;
        // Set while the sink has an event: what it throws then is the reader's failure, not the upstream's.
        let reading = false;
        try {
          // The attempt's events are relayed here rather than through a generator of their own: one hop less per token.
          const { route, credential } = attempt;
          const endpoint = route.endpoint;
          const id = endpoint.definition.id;
          // Waited on only where there is something to wait for: a lease under least-connections, a rate limit.
          const leasing = holdUpstreamLease(this.#dependencies.state, llm.routing.load_balance, id);
          const lease = leasing && (await leasing);
          const counting = this.#dependencies.rateLimit.countRequest(endpoint);
          if (counting) await counting;
          const startedAt = performance.now();
          let held: StreamEvent | undefined;
          let tokens = 0;
          try {
            for await (const event of this.#upstreamEvents(routed, attempt, call)) {
              if (!committed) {
                if (event.type === 'start') {
                  held = servedStart(event, route, attempts, routed);
                  continue;
                }
                committed = true;
                routed.release();
                this.#dependencies.balancer.recordFirstToken(id, performance.now() - startedAt);
                relayed += 1;
                reading = true;
                const waiting = emit(held ?? startOf(route, attempts));
                if (waiting) await waiting;
                reading = false;
              }
              if (event.type === 'usage') tokens = event.usage.inputTokens + event.usage.outputTokens;
              relayed += 1;
              reading = true;
              const waiting = emit(event);
              if (waiting) await waiting;
              reading = false;
            }
            if (!committed) {
              committed = true;
              routed.release();
              relayed += 1;
              reading = true;
              const waiting = emit(held ?? startOf(route, attempts));
              if (waiting) await waiting;
              reading = false;
            }
            // A success ends the route's streak of server errors; with none anywhere there is no key to build.
            if (this.#serverErrorStreaks.size > 0) this.#serverErrorStreaks.delete(modelCooldownKey(id, credential.name, route.upstreamModel));
          } finally {
            if (lease) await lease.release();
            void this.#dependencies.rateLimit.countTokens(endpoint, tokens)?.catch(() => {});
          }
          return;
        } catch (error) {
          if (call.signal.aborted) throw call.signal.reason;
          if (reading) throw error;
          const failure = toProviderError(error);
          await this.#recordFailure(attempt, model, failure, call.requestId, attempts, committed);
          if (committed || !isWorthAnotherAttempt(failure)) throw failure;
          lastError = failure;
        } finally {
          // Counted once per attempt rather than per event, so the relay loop makes no metric call.
          this.#dependencies.metrics.events.inc(relayed);
        }
      }
      if (attempts > 0 || waitedForCooldown || shortestCooldownMs === undefined) break;
      if (shortestCooldownMs > llm.routing.cooldown_wait_ms) {
        throw new ProviderError({
          kind: 'rate_limited',
          message: `Every key that serves '${model}' is cooling down; retry after the time given.`,
          retryAfterMs: shortestCooldownMs,
        });
      }
      waitedForCooldown = true;
      await sleep(shortestCooldownMs, call.signal);
    }
    if (lastError) throw lastError;
    throw limitedForMs === undefined
      ? new ProviderError({ kind: 'unavailable', message: `No endpoint can serve '${model}' right now.` })
      : new ProviderError({
          kind: 'rate_limited',
          message: `Every endpoint that serves '${model}' is at its own rate limit; retry after the time given.`,
          retryAfterMs: limitedForMs,
        });
  }

  /** Candidates × credentials, minus those cooling down or at their endpoint's rate limit. */
  async #usableAttempts(
    candidates: readonly ModelRoute[],
    providerKey: Secret | undefined,
  ): Promise<{ usable: Attempt[]; shortestCooldownMs: number | undefined; shortestLimitMs: number | undefined }> {
    const all = candidates.flatMap((route) =>
      providerKey && route.endpoint.definition.forwardToken
        ? [{ route, credential: { name: CALLER_CREDENTIAL, apiKey: providerKey } }]
        : route.endpoint.credentials.map((credential) => ({ route, credential })),
    );
    // Two keys per attempt, made once: the whole key's, then the key and model's.
    const keys: string[] = [];
    for (const { route, credential } of all) {
      keys.push(credentialCooldownKey(route.endpoint.definition.id, credential.name), modelCooldownKey(route.endpoint.definition.id, credential.name, route.upstreamModel));
    }
    const cooling = await this.#dependencies.state.activeCooldowns(keys);
    const now = Date.now();
    let shortestCooldownMs: number | undefined;
    let shortestLimitMs: number | undefined;
    const usable: Attempt[] = [];
    for (let index = 0; index < all.length; index += 1) {
      const attempt = all[index] as Attempt;
      const untilMs = Math.max(cooling.get(keys[2 * index] as string)?.untilMs ?? -Infinity, cooling.get(keys[2 * index + 1] as string)?.untilMs ?? -Infinity);
      if (untilMs !== -Infinity) {
        shortestCooldownMs = Math.min(shortestCooldownMs ?? Infinity, Math.max(1, untilMs - now));
        continue;
      }
      const limiting = this.#dependencies.rateLimit.limitedFor(attempt.route.endpoint);
      const limitedForMs = limiting === undefined ? undefined : await limiting;
      if (limitedForMs !== undefined) {
        shortestLimitMs = Math.min(shortestLimitMs ?? Infinity, limitedForMs);
        continue;
      }
      usable.push(attempt);
    }
    return { usable, shortestCooldownMs, shortestLimitMs };
  }

  /**
   * One attempt's events from its plugin, under the timeouts. The `start` event is held back by the
   * caller until the first content event, so a stall before the first token still fails over.
   */
  #upstreamEvents(routed: RoutedRequest, attempt: Attempt, call: ChatCall): AsyncIterableIterator<StreamEvent> {
    const request = routed.request;
    const { route, credential } = attempt;
    const endpoint = route.endpoint;
    const { timeouts } = this.#dependencies.llm;
    return guardUpstreamEvents(
      (attempt, onUpstreamProgress) =>
        endpoint.provider.chat(
          // The client's own stream flag: a non-streaming client costs one JSON answer upstream,
          // which the plugin turns into the same events a stream would have given (the gateway
          // aggregates them as before); its timeouts are first byte and total.
          request.choices === undefined ? { ...request, model: route.upstreamModel } : { ...request, model: route.upstreamModel, choices: choicesFor(request, endpoint) },
          attemptCallOptions(
            attempt,
            call.requestId,
            // The endpoint's own key is the plugin's already (Bedrock signs with it); only a profile's or a caller's replaces it.
            credential.apiKey && credential.apiKey !== endpoint.definition.apiKey ? credential.apiKey : undefined,
            applyHeaderRules(this.#dependencies.headerRules, endpoint.definition.provider, route.upstreamModel, call.clientHeaders ?? {}),
            onUpstreamProgress,
          ),
        ),
      { connectMs: timeouts.connect_ms, firstTokenMs: timeouts.first_token_ms, idleMs: timeouts.idle_ms, totalMs: timeouts.total_ms },
      call.signal,
      request.stream,
    );
  }

  async #recordFailure(attempt: Attempt, requestedModel: string, failure: ProviderError, requestId: string, number: number, committed: boolean): Promise<void> {
    const { route, credential } = attempt;
    const id = route.endpoint.definition.id;
    const streakKey = modelCooldownKey(id, credential.name, route.upstreamModel);
    // A failure on our side of the connection, or a timeout while our own event loop lagged (the answer may
    // have sat unread behind it), is our saturation and says nothing about the key: no streak, no cooldown.
    const ours = failure.local || (failure.kind === 'timeout' && this.#dependencies.lag.high);
    const serverSide = !ours && (failure.kind === 'unavailable' || failure.kind === 'timeout' || failure.kind === 'internal');
    const streak = serverSide ? (this.#serverErrorStreaks.get(streakKey) ?? 0) + 1 : 0;
    if (serverSide) this.#serverErrorStreaks.set(streakKey, streak);
    this.#dependencies.metrics.upstreamErrors.inc({ endpoint: id, kind: failure.kind });
    // A caller's own key is theirs to fix; it must not take the shared keys out of rotation.
    const decision = credential.name === CALLER_CREDENTIAL || ours ? undefined : decideCooldown(failure, streak, this.#dependencies.llm.cooldowns);
    const fields = {
      requestId,
      model: requestedModel,
      endpoint: id,
      credential: credential.name,
      upstreamModel: route.upstreamModel,
      attempt: number,
      kind: failure.kind,
      status: failure.status,
      error: failure.message,
      afterFirstByte: committed,
    };
    if (!decision) {
      this.#dependencies.logger.warn('attempt failed', fields);
      return;
    }
    const key = decision.scope === 'credential' ? credentialCooldownKey(id, credential.name) : streakKey;
    const cooldown = await this.#dependencies.state.extendCooldown(key, Date.now() + decision.durationMs, decision.reason);
    if (serverSide) this.#serverErrorStreaks.delete(streakKey);
    const level = decision.loud ? 'error' : 'warn';
    this.#dependencies.logger.log(level, decision.loud ? 'upstream rejected a key: it is out of rotation' : 'attempt failed; cooling down', {
      ...fields,
      cooldownKey: key,
      cooldownUntil: new Date(cooldown.untilMs).toISOString(),
      reason: cooldown.reason,
    });
  }
}

/**
 * Drops the candidates a caller's key may not use. When the model itself is not allowed the answer is
 * 403, never a quiet fallback to some other model.
 */
function allowedFor(requested: string, candidates: ModelRoute[], allowed: readonly string[] | undefined): ModelRoute[] {
  if (!allowed || allowed.length === 0) return candidates;
  // A route found under the requested name is judged by that name (the gateway checked it already); a
  // fallback by its own names, so an allowed model never opens the way to a forbidden fallback.
  const permitted = (route: ModelRoute) =>
    (route.via === requested ? [requested] : [route.via ?? '', route.upstreamModel, `${route.endpoint.definition.id}/${route.upstreamModel}`]).some(
      (name) => name !== '' && allowed.some((pattern) => matchesModelPattern(pattern, name)),
    );
  const kept = candidates.filter(permitted);
  if (kept.length === 0 || !permitted(candidates[0] as ModelRoute)) {
    throw new ProviderError({ kind: 'permission', message: `This API key may not use the model '${requested}'.` });
  }
  return kept;
}

/**
 * OpenAI's `n` for a provider that answers several choices itself (its start then says how many); the
 * others never see it, and the gateway makes a call per choice.
 */
function choicesFor(request: ChatRequest, endpoint: ActiveEndpoint): number | undefined {
  return request.choices !== undefined && endpoint.provider.answersChoices ? request.choices : undefined;
}

/**
 * The plugin's `start` with what llm-proxy fills in. Written out field by field: a spread followed by
 * keys the source lacks costs microseconds per key on Node 20's V8.
 */
function servedStart(event: StartEvent, route: ModelRoute, attempts: number, routed: RoutedRequest): StartEvent {
  const start: StartEvent = { type: 'start', id: event.id, model: event.model, provider: route.endpoint.definition.provider, endpoint: route.endpoint.definition.id, attempts };
  const answered = choicesFor(routed.request, route.endpoint) ?? event.choices;
  if (answered !== undefined) start.choices = answered;
  return start;
}

/** The `start` event of an attempt whose upstream sent none before its first content. */
function startOf(route: ModelRoute, attempts: number): StreamEvent {
  return { type: 'start', id: randomUUID(), model: route.upstreamModel, provider: route.endpoint.definition.provider, endpoint: route.endpoint.definition.id, attempts };
}

/** Worth trying the next candidate: the upstream or the key failed, not the request. */
function isWorthAnotherAttempt(error: ProviderError): boolean {
  return error.isRetryable || error.kind === 'authentication' || error.kind === 'permission' || error.kind === 'internal';
}

function toProviderError(error: unknown): ProviderError {
  if (ProviderError.isInstance(error)) return error;
  return new ProviderError({ kind: 'internal', message: `the provider plugin failed: ${(error as Error)?.message ?? String(error)}`, cause: error });
}
