package dev.carrot.policy.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class BlasFamilyTest {

    private static final Set<String> EPYC_ZEN4 = Set.of("sse2", "avx", "avx2", "fma", "avx512f", "avx512cd",
            "avx512bw", "avx512dq", "avx512vl", "avx512ifma");
    private static final Set<String> ZEN3 = Set.of("sse2", "avx", "avx2", "fma");
    private static final Set<String> OLD = Set.of("sse2", "sse3");

    @Test
    void autoPicksTheFastestFamilyTheCpuRuns() {
        assertEquals("SkylakeX", BlasFamily.resolve("auto", EPYC_ZEN4));
        assertEquals("Haswell", BlasFamily.resolve(null, ZEN3));
        assertEquals("", BlasFamily.resolve("auto", OLD), "nothing known: OpenBLAS decides");
        assertEquals("", BlasFamily.resolve("openblas", EPYC_ZEN4));
    }

    @Test
    void aNamedFamilyIsTakenWhenTheCpuRunsIt() {
        assertEquals("Haswell", BlasFamily.resolve("haswell", EPYC_ZEN4));
        assertEquals("Zen", BlasFamily.resolve("Zen", ZEN3));
    }

    @Test
    void unknownOrUnrunnableFamiliesAreRefusedByName() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> BlasFamily.resolve("Skylake", EPYC_ZEN4));
        assertTrue(unknown.getMessage().contains("CARROT_BLAS_FAMILY=Skylake") && unknown.getMessage().contains(
                "SkylakeX, Haswell, Zen, Sandybridge"), unknown.getMessage());
        IllegalArgumentException unrunnable = assertThrows(IllegalArgumentException.class,
                () -> BlasFamily.resolve("SkylakeX", ZEN3));
        assertTrue(unrunnable.getMessage().contains("lacks avx512"), unrunnable.getMessage());
    }
}
