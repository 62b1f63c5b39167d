/**
 * What `npm ci` needs from package-lock.json on every npm and platform: each package entry pinned to a
 * version (a stub with only `dev`/`optional` makes npm 10.9+ stop with "Invalid Version"), and the lock's
 * record of every workspace's manifest equal to the manifest itself, with each installed version inside
 * the range that asked for it.
 */
import semver from 'semver';

export interface LockEntry {
  version?: string;
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

export interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/** Entries npm cannot install from: no version and not a workspace link. */
export function unversionedEntries(lock: Lockfile): string[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && !entry.link && !entry.version)
    .map(([path]) => path);
}

/**
 * Disagreements between manifests (by their folder, '' for the root) and the lock, one sentence each.
 * The installed copy a dependency resolves to is found the way Node does: the nearest node_modules first.
 */
export function manifestMismatches(lock: Lockfile, manifests: Record<string, Manifest>): string[] {
  const problems: string[] = [];
  for (const [folder, manifest] of Object.entries(manifests)) {
    const recorded = lock.packages[folder];
    if (!recorded) {
      problems.push(`${folder || 'the root'} has no entry in the lock`);
      continue;
    }
    for (const field of DEPENDENCY_FIELDS) {
      const wanted = manifest[field] ?? {};
      const locked = recorded[field] ?? {};
      for (const name of new Set([...Object.keys(wanted), ...Object.keys(locked)])) {
        if (wanted[name] !== locked[name]) {
          problems.push(`${folder || 'root'} ${field}.${name}: package.json says ${wanted[name] ?? 'nothing'}, the lock ${locked[name] ?? 'nothing'}`);
          continue;
        }
        const installed = resolveFrom(lock, folder, name);
        if (!installed) {
          problems.push(`${folder || 'root'} ${field}.${name}: no installed entry in the lock`);
        } else if (!installed.link && !satisfiedBy(wanted[name]!, installed.version)) {
          problems.push(`${folder || 'root'} ${field}.${name}: the lock installs ${installed.version ?? 'no version'}, outside ${wanted[name]}`);
        }
      }
    }
  }
  return problems;
}

function resolveFrom(lock: Lockfile, folder: string, name: string): LockEntry | undefined {
  const nested = folder ? lock.packages[`${folder}/node_modules/${name}`] : undefined;
  return nested ?? lock.packages[`node_modules/${name}`];
}

function satisfiedBy(range: string, version: string | undefined): boolean {
  if (!version) return false;
  // Workspace siblings are asked for by exact version; anything not a semver range (git, file:) is npm's to judge.
  if (!semver.validRange(range)) return true;
  return semver.satisfies(version, range, { includePrerelease: true });
}
