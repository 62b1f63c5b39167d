/**
 * glibc malloc settings for the services that `npm start` runs (and the benchmark, which runs them the same
 * way). Node reads every socket into a fresh 64 KiB malloc'd buffer and shrinks it to what arrived; with
 * glibc's defaults those come from its main heap, thousands at once under load, and the small long-lived
 * chunks allocated between them keep the heap from shrinking afterwards (free returns memory only from its
 * top). A fixed mmap threshold of 64 KiB gives each such buffer pages of its own that go back to the system
 * when freed, and stops glibc from raising the threshold as it would after the first large free. Measured
 * with `npm run bench -- --soak --soak-streams 3000`: see the README's Performance part. The images in
 * deploy/ run on Alpine (musl), which does not read these. A GLIBC_TUNABLES of the operator's comes after
 * ours, so its settings win.
 */
export const GLIBC_MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=65536';

/** The environment's GLIBC_TUNABLES with ours in front. */
export function withMallocSettings(env) {
  return { ...env, GLIBC_TUNABLES: [GLIBC_MALLOC_TUNABLES, env.GLIBC_TUNABLES].filter(Boolean).join(':') };
}
