/** One dependency `/ready` reports on besides llm-proxy. */
export interface ReadinessCheck {
  name: string;
  probe(): Promise<ReadinessResult>;
}

export interface ReadinessResult {
  /** What the check reports, e.g. `ok`, `unreachable`, `not_configured`. */
  status: string;
  /** False takes the replica out of rotation. */
  ready: boolean;
  /** Serving, but in a reduced way (limits per process while Redis is away). */
  degraded: boolean;
}
