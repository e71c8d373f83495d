package dev.carrot.policy.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyItemRunsExactlyOnceInContiguousRanges() {
        int items = 10_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(items);
        Parallel.forEachRange(items, 1 << 12, 1 << 12, (range, from, to) -> {
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < items; i++) {
            assertEquals(1, seen.get(i), "item " + i);
        }
    }

    @Test
    void manyCallersAtOnceEachGetTheirOwnResult() {
        // Rollout workers and the trainer call from their own threads into the same helpers.
        List<CompletableFuture<long[]>> calls = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                long[] sums = new long[50];
                for (int round = 0; round < 50; round++) {
                    int items = 4096 + round;
                    long[] partial = new long[Parallel.ranges(items, 1 << 12, 1 << 12)];
                    Parallel.forEachRange(items, 1 << 12, 1 << 12, (range, from, to) -> {
                        for (int i = from; i < to; i++) {
                            partial[range] += i;
                        }
                    });
                    for (long p : partial) {
                        sums[round] += p;
                    }
                }
                return sums;
            }));
        }
        for (CompletableFuture<long[]> call : calls) {
            long[] sums = call.join();
            for (int round = 0; round < 50; round++) {
                long n = 4096 + round;
                assertEquals(n * (n - 1) / 2, sums[round]);
            }
        }
    }

    @Test
    void aFailureInAnyRangeReachesTheCaller() {
        IllegalStateException failure = new IllegalStateException("range 3");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Parallel.forEachRange(8, 1 << 20, 1 << 20, (range, from, to) -> {
                    if (range == 3) {
                        throw failure;
                    }
                }));
        assertSame(failure, thrown);
    }

    @Test
    void aNestedCallRunsItsRangesOnTheCallingThread() {
        int items = 64;
        AtomicIntegerArray seen = new AtomicIntegerArray(items * items);
        Parallel.forEachRange(items, 1 << 20, 1 << 20, (range, from, to) -> {
            Thread outer = Thread.currentThread();
            for (int i = from; i < to; i++) {
                int row = i;
                Parallel.forEachRange(items, 1 << 20, 1 << 20, (r, f, t) -> {
                    assertSame(outer, Thread.currentThread());
                    for (int j = f; j < t; j++) {
                        seen.incrementAndGet(row * items + j);
                    }
                });
            }
        });
        for (int i = 0; i < items * items; i++) {
            assertEquals(1, seen.get(i));
        }
    }
}
