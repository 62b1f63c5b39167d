import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The compose topology rebuilt from network namespaces, for machines with no Docker engine:
 *   switch    holds bridge br0, standing in for nachos-internal (10.77.0.0/24)
 *   gateway   10.77.0.2 on br0 only: no default route, as on an internal network
 *   proxy     10.77.0.3 on br0, plus 10.78.0.2/30 towards "internet" with a default route: nachos-egress
 *   redis     10.77.0.4 on br0 only
 *   internet  10.78.0.1/30, and the "provider" at 203.0.113.10 (a documentation address) on its loopback
 * Only namespaces this process creates are touched; the machine's own namespace is left as it is.
 */
export const ADDRESSES = { gateway: '10.77.0.2', proxy: '10.77.0.3', redis: '10.77.0.4', provider: '203.0.113.10' } as const;

const ROLES = ['switch', 'gateway', 'proxy', 'redis', 'internet'] as const;
export type NamespaceRole = (typeof ROLES)[number];

const PREFIX = 'nachos-t';

function ip(...args: string[]): string {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

/** Why the namespace test cannot run here, or undefined when it can (root, with iproute2's ip). */
export function namespacesUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root';
  const version = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'the ip command (iproute2) is not installed';
  return undefined;
}

export class IsolationTopology {
  readonly #names: Record<NamespaceRole, string>;
  readonly #children = new Set<ChildProcess>();

  private constructor(names: Record<NamespaceRole, string>) {
    this.#names = names;
  }

  /** Builds the namespaces and links; on any failure removes what it made before rethrowing. */
  static create(): IsolationTopology {
    removeAbandonedNamespaces();
    const names = Object.fromEntries(ROLES.map((role) => [role, `${PREFIX}${process.pid}-${role}`])) as Record<NamespaceRole, string>;
    const topology = new IsolationTopology(names);
    try {
      topology.#build();
    } catch (error) {
      topology.#removeNamespaces();
      throw error;
    }
    return topology;
  }

  #build(): void {
    const n = this.#names;
    for (const role of ROLES) {
      ip('netns', 'add', n[role]);
      ip('-n', n[role], 'link', 'set', 'lo', 'up');
    }
    ip('-n', n.switch, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', n.switch, 'link', 'set', 'br0', 'up');
    for (const role of ['gateway', 'proxy', 'redis'] as const) {
      ip('-n', n.switch, 'link', 'add', `v-${role}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n[role]);
      ip('-n', n.switch, 'link', 'set', `v-${role}`, 'master', 'br0', 'up');
      ip('-n', n[role], 'addr', 'add', `${ADDRESSES[role]}/24`, 'dev', 'eth0');
      ip('-n', n[role], 'link', 'set', 'eth0', 'up');
    }
    ip('-n', n.proxy, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n.internet);
    ip('-n', n.proxy, 'addr', 'add', '10.78.0.2/30', 'dev', 'eth1');
    ip('-n', n.proxy, 'link', 'set', 'eth1', 'up');
    ip('-n', n.internet, 'addr', 'add', '10.78.0.1/30', 'dev', 'eth0');
    ip('-n', n.internet, 'link', 'set', 'eth0', 'up');
    ip('-n', n.internet, 'addr', 'add', `${ADDRESSES.provider}/32`, 'dev', 'lo');
    ip('-n', n.proxy, 'route', 'add', 'default', 'via', '10.78.0.1');
  }

  /** Starts a long-running process inside a namespace, in the repository root; destroy() ends it. */
  start(role: NamespaceRole, command: string, args: string[], environment: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.#names[role], command, ...args], {
      cwd: repositoryRoot,
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    return child;
  }

  /** Runs a short command inside a namespace, in the repository root, and returns its exit status and output. */
  run(
    role: NamespaceRole,
    command: string,
    args: string[],
    environment: NodeJS.ProcessEnv = { PATH: process.env.PATH },
  ): { status: number | null; stdout: string } {
    const result = spawnSync('ip', ['netns', 'exec', this.#names[role], command, ...args], {
      cwd: repositoryRoot,
      env: environment,
      encoding: 'utf8',
      timeout: 15_000,
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout };
  }

  /** Stops every process it started (SIGTERM, then SIGKILL), then deletes the namespaces. */
  async destroy(): Promise<void> {
    await Promise.all([...this.#children].map((child) => stopChild(child)));
    this.#removeNamespaces();
  }

  #removeNamespaces(): void {
    for (const name of Object.values(this.#names)) removeNamespace(name);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function removeNamespace(name: string): void {
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  if (!listed.split('\n').some((line) => line.split(' ')[0] === name)) return;
  const pids = (spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean);
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  spawnSync('ip', ['netns', 'delete', name]);
}

/** Namespaces left by a run that died before its teardown (its pid no longer exists). */
function removeAbandonedNamespaces(): void {
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of listed.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const owner = name.match(new RegExp(`^${PREFIX}(\\d+)-`))?.[1];
    if (owner && !isAlive(Number(owner))) removeNamespace(name);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
