package dev.carrot.policy.tensor;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The daemon threads that help {@link Parallel}'s callers. After each task a helper keeps polling for the next one
 * for a bounded time before it parks, as OpenMP runtimes do: waking a parked thread costs tens of microseconds, as
 * much as a whole decode-step product of a small model, so a helper that is still spinning when the next product
 * comes joins it at once. Measured on 2 cores (`./carrot bench`): KV-cached generation on shape (b) +20% and its
 * training step +5% with a 200 µs spin; shape (c), whose products take milliseconds, is unchanged.
 *
 * <p>Spinning takes a core that another process sharing the machine might want, for at most the spin time after
 * each task; {@code -Dcarrot.parallel.spinMicros=0} parks at once.
 */
final class HelperThreads {

    private static final long SPIN_NANOS = 1000 * Long.getLong("carrot.parallel.spinMicros", 200);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread[] threads;
    /** 1 while helper i is about to park or parked, so that {@link #execute} knows whom to wake. */
    private final AtomicIntegerArray parked;

    HelperThreads(int count) {
        threads = new Thread[count];
        parked = new AtomicIntegerArray(count);
        for (int i = 0; i < count; i++) {
            int id = i;
            threads[i] = new Thread(() -> run(id), "carrot-parallel-" + (i + 1));
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** Queues {@code task} for the first helper free to take it, waking one that is parked. */
    void execute(Runnable task) {
        tasks.add(task);
        for (int i = 0; i < threads.length; i++) {
            if (parked.get(i) == 1) {
                LockSupport.unpark(threads[i]);
                return;
            }
        }
    }

    private void run(int id) {
        long idleSince = System.nanoTime();
        while (true) {
            Runnable task = tasks.poll();
            if (task != null) {
                task.run();
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                // Announce first, then look again: a task queued in between is either seen here or its execute()
                // sees the flag and unparks, and an unpark before the park makes the park return at once.
                parked.set(id, 1);
                if (tasks.isEmpty()) {
                    LockSupport.park(this);
                }
                parked.set(id, 0);
                idleSince = System.nanoTime();
            }
        }
    }
}
