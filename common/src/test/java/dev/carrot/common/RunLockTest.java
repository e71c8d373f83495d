package dev.carrot.common;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory holds one job at a time, and is free again once the job ends. */
class RunLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondJobOnTheSameDirectoryIsRefusedUntilTheFirstEnds() throws Exception {
        Path out = dir.resolve("runs/x");
        try (RunLock first = RunLock.acquire(out)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> RunLock.acquire(out));
            assertTrue(e.getMessage().startsWith(out + " is in use by another job (pid "
                    + ProcessHandle.current().pid()) && e.getMessage().endsWith("choose another --out"),
                    e.getMessage());
        }
        RunLock.acquire(out).close();
    }
}
