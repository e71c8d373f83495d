package dev.carrot.policy.kernels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits a kernel's independent items (rows, heads) into contiguous ranges and runs them on the calling thread and
 * a small pool. BLAS keeps its own threads busy only during a matrix product, so between products the kernels have
 * the cores to themselves.
 *
 * <p>Threads claim ranges from a shared counter rather than being handed one each: on a loaded machine a pooled
 * thread may not be scheduled for milliseconds, and the caller then simply runs the remaining ranges itself instead
 * of waiting for it. The split depends only on the item count, the work per item and the core count, never on
 * timing, so per-range partial sums (parameter gradients) are reproducible.
 */
final class Parallel {

    /** Waking a pooled thread costs some 10 µs; ranges smaller than this many elements are not worth splitting off. */
    private static final long MIN_ELEMENTS_PER_RANGE = 1 << 15;
    /** Ranges per core: a few, so that a core that falls behind leaves work for the others. */
    private static final int RANGES_PER_CORE = 4;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** The calling thread works too, so the pool needs one thread fewer than there are cores. */
    private static final ForkJoinPool POOL = CORES > 1 ? new ForkJoinPool(CORES - 1) : null;

    /** A loop body over items {@code [from, to)}, the {@code range}-th of {@link #ranges} ranges. */
    @FunctionalInterface
    interface RangeBody {
        void run(int range, int from, int to);
    }

    private Parallel() {}

    /** How many ranges {@link #forEachRange} splits {@code items} items of {@code elementsPerItem} work into. */
    static int ranges(int items, long elementsPerItem) {
        long byWork = items * elementsPerItem / MIN_ELEMENTS_PER_RANGE;
        return (int) Math.max(1, Math.min(Math.min((long) CORES * RANGES_PER_CORE, items), byWork));
    }

    /** Runs {@code body} over {@code [0, items)} split into {@link #ranges} ranges, and returns when all are done. */
    static void forEachRange(int items, long elementsPerItem, RangeBody body) {
        int ranges = ranges(items, elementsPerItem);
        if (ranges == 1) {
            body.run(0, 0, items);
            return;
        }
        Ranges work = new Ranges(items, ranges, body);
        for (int helper = 1; helper < Math.min(CORES, ranges); helper++) {
            POOL.execute(work::claimUntilDone);
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
            for (int range = next.getAndIncrement(); range < count; range = next.getAndIncrement()) {
                try {
                    body.run(range, start(range), start(range + 1));
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    finished.countDown();
                }
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
