/** The two calls of glibc's allocator used here, bound on first use. */
interface GlibcMalloc {
  trim: (pad: number) => number;
  setOption: (option: number, value: number) => number;
}

/** Resolves `null` where there is no glibc to bind (musl, macOS, Windows). */
let glibc: Promise<GlibcMalloc | null> | undefined;

/** mallopt(3)'s M_TRIM_THRESHOLD, and glibc's default for it (128 KiB). */
const M_TRIM_THRESHOLD = -1;
const TRIM_THRESHOLD_BYTES = 128 * 1024;

/**
 * Hands the C allocator's free pages back to the system. Node frees what sockets, HTTP parsers and read
 * buffers allocated natively, but glibc's `free` returns memory only from the top of its heap: after
 * thousands of connections, live chunks scattered through it keep the free pages between them resident, and
 * only `malloc_trim` gives those back (every whole free page in every arena, and the main heap's top; a
 * thread's own arena keeps its top, see `pinTrimThreshold`). Node has no binding for it, so it is called
 * through koffi, a maintained FFI library whose prebuilt binaries ship in its platform packages (glibc and
 * musl alike); loaded on first use, not on import. Measured after a 10,000-stream soak, once the idle
 * collection had run: RSS 46 % (gateway) and 72 % (llm-proxy) over idle without it, 16 % and 21 % with it.
 * Costs a few ms, only when called. Resolves whether it could trim: not on musl (the Alpine images), whose
 * allocator keeps no such heap, nor off Linux.
 */
export async function trimNativeHeap(): Promise<boolean> {
  const malloc = await (glibc ??= bindGlibcMalloc());
  if (malloc === null) return false;
  malloc.trim(0);
  return true;
}

/**
 * Keeps glibc's trim threshold at its default for the life of the process. Each thread that allocates gets
 * an arena of its own (V8's background compilers and collectors do), and such an arena gives the free memory
 * at its top back only when a `free` finds that top past the threshold; `malloc_trim` never shrinks it. glibc
 * raises the threshold to twice the largest mmapped block freed so far, up to 64 MiB, so after a burst the
 * compilers' arenas keep megabytes of free, resident memory for good: after a 2,000-stream soak llm-proxy's
 * thread arenas held 7.3 MB resident, nearly all of it free (3.6 at idle), and RSS stayed 13 % over idle.
 * Pinned: 1.6 MB, and 9 %. Measured in the same bench rounds, CPU per request at c=32 0.257 ms pinned, 0.285
 * not. Setting the threshold also stops glibc moving its mmap threshold, which stays where start-up left it.
 * Resolves whether it could: not without glibc, as for `trimNativeHeap`.
 */
export async function pinTrimThreshold(): Promise<boolean> {
  const malloc = await (glibc ??= bindGlibcMalloc());
  if (malloc === null) return false;
  return malloc.setOption(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) === 1;
}

async function bindGlibcMalloc(): Promise<GlibcMalloc | null> {
  if (process.platform !== 'linux') return null;
  try {
    const { default: koffi } = await import('koffi');
    const libc = koffi.load('libc.so.6');
    return { trim: libc.func('int malloc_trim(size_t)'), setOption: libc.func('int mallopt(int, int)') };
  } catch {
    // No glibc (musl has no libc.so.6, or one without these calls): its allocator is left to itself.
    return null;
  }
}
