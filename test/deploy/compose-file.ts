import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root, where the compose files live. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The parts of a compose service the deploy checks read; everything else passes through untyped. */
export interface ComposeService {
  image?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  networks?: string[] | Record<string, unknown>;
  secrets?: Array<string | { source: string; target?: string }>;
  labels?: Record<string, string> | string[];
  ports?: unknown[];
  extra_hosts?: string[] | Record<string, string>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string; interval?: string; timeout?: string; retries?: number; start_period?: string };
  stop_grace_period?: string;
  command?: string[] | string;
  volumes?: Array<string | { source?: string; target: string }>;
  deploy?: {
    replicas?: number;
    labels?: Record<string, string> | string[];
    update_config?: { order?: string; failure_action?: string; monitor?: string; parallelism?: number };
    rollback_config?: { order?: string; failure_action?: string };
    restart_policy?: { condition?: string };
    resources?: { limits?: { cpus?: unknown; memory?: string } };
  };
  [key: string]: unknown;
}

export interface ComposeNetwork {
  name?: string;
  driver?: string;
  internal?: unknown;
  external?: unknown;
  driver_opts?: Record<string, string>;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  networks?: Record<string, ComposeNetwork | null>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { external?: unknown; name?: string; file?: string }>;
  [key: string]: unknown;
}

/** Reads a compose file from the repository as Compose would (YAML merge keys included). */
export function loadComposeFile(relativePath: string): ComposeFile {
  return parseComposeText(readFileSync(join(repositoryRoot, relativePath), 'utf8'));
}

export function parseComposeText(text: string): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

/** A deep copy to plant faults in, so that each check is shown to fail on the fault it exists for. */
export function cloneComposeFile(file: ComposeFile): ComposeFile {
  return structuredClone(file);
}

/** Environment entries as name → literal value; a name given without a value (pass-through) maps to undefined. */
export function environmentOf(service: ComposeService): Map<string, string | undefined> {
  const entries = new Map<string, string | undefined>();
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    for (const entry of environment) {
      const equals = entry.indexOf('=');
      if (equals === -1) entries.set(entry, undefined);
      else entries.set(entry.slice(0, equals), entry.slice(equals + 1));
    }
  } else {
    for (const [name, value] of Object.entries(environment)) {
      entries.set(name, value === null ? undefined : String(value));
    }
  }
  return entries;
}

export function networksOf(service: ComposeService): string[] {
  const networks = service.networks ?? [];
  return Array.isArray(networks) ? networks : Object.keys(networks);
}

export function secretSourcesOf(service: ComposeService): string[] {
  return (service.secrets ?? []).map((secret) => (typeof secret === 'string' ? secret : secret.source));
}

/** Labels in either notation as name → value. */
export function labelMap(labels: Record<string, string> | string[] | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (Array.isArray(labels)) {
    for (const label of labels) {
      const equals = label.indexOf('=');
      map.set(equals === -1 ? label : label.slice(0, equals), equals === -1 ? '' : label.slice(equals + 1));
    }
  } else if (labels) {
    for (const [name, value] of Object.entries(labels)) map.set(name, String(value));
  }
  return map;
}

/** A compose duration ("1m30s", "65s", "500ms") in milliseconds. */
export function durationMs(duration: string | undefined): number {
  if (duration === undefined) return 0;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  let total = 0;
  const pattern = /(\d+(?:\.\d+)?)(ms|us|h|m|s)/g;
  let consumed = '';
  for (const match of duration.matchAll(pattern)) {
    total += Number(match[1]) * units[match[2]!]!;
    consumed += match[0];
  }
  if (consumed !== duration) throw new Error(`not a compose duration: ${duration}`);
  return total;
}
