/**
 * A bound on the heap a long streaming operation leaves behind it (a whole-base CSV export).
 *
 * What such an export keeps is one page at a time, but V8 decides when to collect the old
 * generation from the live size alone: a page's objects that outlive two scavenges (a page of
 * 1,000 customers spans two or three) are promoted, and the old space is let grow to about four
 * times the live heap before a full collection (measured at 100k customers: live 70-100 MB,
 * collected at 290-370 MB, RSS +95-150 MB per export). The bound asks for a full collection
 * when the heap has grown by `budgetBytes` since the operation started or since its last
 * collection, so the process's memory follows the operation's data, not the collector's
 * schedule. Each collection is a pause of the whole process (tens of milliseconds at that
 * size), paid only by operations that allocate past the budget, and collections take at most a
 * tenth of the operation's time; the count and the pauses are kept for the caller to report.
 *
 * The collection is V8's own `gc`, exposed at first use through `--expose-gc` when the process
 * was not started with it. Where that is refused, the bound does nothing.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Every bound's collections since the process started (bench/insights-scale.ts reports them beside RSS). */
export const heapBoundTotals = { collections: 0, pauseMillis: 0 };

/** The share of an operation's time its collections may take at most. */
const MAX_COLLECTING_SHARE = 0.1;

let fullCollection: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (fullCollection === undefined) {
    const exposed = (globalThis as { gc?: unknown }).gc;
    if (typeof exposed === 'function') fullCollection = exposed as () => void;
    else {
      try {
        v8.setFlagsFromString('--expose-gc');
        const gc: unknown = vm.runInNewContext('gc');
        fullCollection = typeof gc === 'function' ? (gc as () => void) : null;
      } catch {
        fullCollection = null;
      }
    }
  }
  return fullCollection;
}

export class HeapBound {
  private threshold: number;
  private lastCollectionEnd = 0;
  private lastPause = 0;
  /** Full collections asked for, and the time they paused the process. */
  collections = 0;
  pauseMillis = 0;

  /**
   * `ceilingBytes`: growth past which the bound collects even over its time share. The share
   * alone lets the growth widen with the cost of a collection, and that cost follows the whole
   * process's live heap, not the operation's: beside a large heap (160 ms a collection) a
   * 100k-customer export went from +24 to +59 MB of RSS. Infinite by default.
   */
  constructor(
    private readonly budgetBytes: number,
    private readonly now: () => number = () => performance.now(),
    private readonly ceilingBytes: number = Number.POSITIVE_INFINITY,
  ) {
    this.threshold = v8.getHeapStatistics().used_heap_size + budgetBytes;
  }

  /**
   * Between two units of work (pages): collect when the heap grew past the budget, but never
   * spend more than a tenth of the operation's time collecting. A full collection's cost follows
   * the live heap (60-100 ms at ~80 MB live, 170-230 ms beside a larger one), so with a big heap
   * the collections space out and the growth allowed between them widens with them.
   */
  check(): void {
    const used = v8.getHeapStatistics().used_heap_size;
    if (used < this.threshold) return;
    const now = this.now();
    const overCeiling = used >= this.threshold - this.budgetBytes + this.ceilingBytes;
    if (!overCeiling && now - this.lastCollectionEnd < this.lastPause * (1 / MAX_COLLECTING_SHARE - 1)) return;
    const gc = collector();
    if (gc === null) return;
    gc();
    this.lastCollectionEnd = this.now();
    const paused = this.lastCollectionEnd - now;
    this.lastPause = paused;
    this.pauseMillis += paused;
    this.collections++;
    heapBoundTotals.pauseMillis += paused;
    heapBoundTotals.collections++;
    // What is live now (the operation's own state, caches that grew) is the new base.
    this.threshold = v8.getHeapStatistics().used_heap_size + this.budgetBytes;
  }
}
