package dev.carrot.policy.tensor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits independent items (rows, columns, heads) into contiguous ranges and runs them on the calling thread and
 * {@link HelperThreads}: the engine's one source of parallelism, for the kernels and for {@link Gemm} alike.
 *
 * <p>Threads claim ranges from a shared counter rather than being handed one each: on a loaded machine a pooled
 * thread may not be scheduled for milliseconds, and the caller then simply runs the remaining ranges itself instead
 * of waiting for it. The split depends only on the item count, the work per item and the core count, never on
 * timing, so per-range partial sums (parameter gradients) are reproducible.
 */
public final class Parallel {

    /** Waking a pooled thread costs some 10 µs; ranges smaller than this many elements are not worth splitting off. */
    public static final long MIN_ELEMENTS_PER_RANGE = 1 << 15;
    /** Ranges per thread: a few, so that a thread that falls behind leaves work for the others. */
    private static final int RANGES_PER_CORE = 4;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** The calling thread works too, so one helper fewer than there are cores. */
    private static final HelperThreads HELPERS = new HelperThreads(Math.max(1, CORES - 1));
    private static volatile int threads = CORES;
    /** Whether this thread is running a range, so that a nested call does not fan out again. */
    private static final ThreadLocal<Boolean> IN_RANGE = ThreadLocal.withInitial(() -> false);

    /** A loop body over items {@code [from, to)}, the {@code range}-th of {@link #ranges} ranges. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int range, int from, int to);
    }

    private Parallel() {}

    /** The number of threads that run ranges, the calling thread included: by default, one per core. */
    public static int threads() {
        return threads;
    }

    /** Sets {@link #threads()} for the whole process, e.g. to compare with another engine at a fixed count. */
    public static void setThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + count);
        }
        threads = count;
    }

    /**
     * How many ranges {@link #forEachRange} splits {@code items} items of {@code workPerItem} work into: at most a
     * few per core, each of at least {@code minWorkPerRange}.
     */
    public static int ranges(int items, long workPerItem, long minWorkPerRange) {
        long byWork = items * workPerItem / minWorkPerRange;
        return (int) Math.max(1, Math.min(Math.min((long) threads * RANGES_PER_CORE, items), byWork));
    }

    /**
     * Runs {@code body} over {@code [0, items)} split into {@link #ranges} ranges, and returns when all are done.
     * The calling thread takes part; a call from inside a range (nested) runs all its ranges on the calling thread.
     */
    public static void forEachRange(int items, long workPerItem, long minWorkPerRange, RangeBody body) {
        int ranges = ranges(items, workPerItem, minWorkPerRange);
        if (ranges == 1) {
            body.run(0, 0, items);
            return;
        }
        Ranges work = new Ranges(items, ranges, body);
        // Nested (a product inside a per-head loop), the cores are already busy: the same ranges, in order, here.
        if (!IN_RANGE.get()) {
            for (int helper = 1; helper < Math.min(threads, ranges); helper++) {
                HELPERS.execute(work::claimUntilDone);
            }
        }
        work.claimUntilDone();
        work.await();
    }

    /** The ranges of one call, claimed in order by whichever thread asks next. */
    private static final class Ranges {
        private final int items;
        private final int count;
        private final RangeBody body;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch finished;
        private volatile Throwable failure;

        Ranges(int items, int count, RangeBody body) {
            this.items = items;
            this.count = count;
            this.body = body;
            this.finished = new CountDownLatch(count);
        }

        void claimUntilDone() {
            boolean nested = IN_RANGE.get();
            IN_RANGE.set(true);
            try {
                for (int range = next.getAndIncrement(); range < count; range = next.getAndIncrement()) {
                    try {
                        body.run(range, start(range), start(range + 1));
                    } catch (Throwable t) {
                        failure = t;
                    } finally {
                        finished.countDown();
                    }
                }
            } finally {
                IN_RANGE.set(nested);
            }
        }

        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    finished.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }

        private int start(int range) {
            return (int) ((long) items * range / count);
        }
    }
}
