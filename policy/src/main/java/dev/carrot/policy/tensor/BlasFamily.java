package dev.carrot.policy.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The OpenBLAS kernel families Carrot knows, the CPU features each needs, and which one to use.
 *
 * <p>OpenBLAS picks its kernels once, when the library loads, from {@code OPENBLAS_CORETYPE} or its own CPU
 * detection; the bundled version's detection does not know recent CPUs (it runs the AVX2 Haswell kernels on AVX-512
 * AMD EPYC machines, 1.3-1.8x slower than the SkylakeX ones there). So {@code ./carrot} asks {@link #main} which
 * family to load before it starts the JVM: by default the fastest this CPU supports. Results are bitwise
 * reproducible for one family on one machine; another family rounds products differently.
 */
public enum BlasFamily {
    /** AVX-512 (Intel Skylake-SP and later, AMD Zen 4 and later). */
    SKYLAKEX("SkylakeX", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"),
    /** AVX2 and FMA (Intel Haswell and later). */
    HASWELL("Haswell", "avx2", "fma"),
    /** AMD's AVX2 family; OpenBLAS runs the Haswell kernels for most of it. */
    ZEN("Zen", "avx2", "fma"),
    /** AVX without FMA. */
    SANDYBRIDGE("Sandybridge", "avx");

    /** The environment variable through which users choose: {@code auto}, {@code openblas} or a family's name. */
    public static final String SETTING = "CARROT_BLAS_FAMILY";

    private final String coreType;
    private final List<String> cpuFlags;

    BlasFamily(String coreType, String... cpuFlags) {
        this.coreType = coreType;
        this.cpuFlags = List.of(cpuFlags);
    }

    /** The name OpenBLAS knows it by, the value of {@code OPENBLAS_CORETYPE}. */
    public String coreType() {
        return coreType;
    }

    /** Whether a CPU with these {@code /proc/cpuinfo} flags runs this family's instructions. */
    public boolean supportedBy(Set<String> flags) {
        return flags.containsAll(cpuFlags);
    }

    /** The family named {@code name} (OpenBLAS's spelling, any case). */
    public static Optional<BlasFamily> named(String name) {
        return Arrays.stream(values()).filter(f -> f.coreType.equalsIgnoreCase(name.trim())).findFirst();
    }

    /** The fastest family a CPU with these flags supports; empty when it supports none of them. */
    public static Optional<BlasFamily> best(Set<String> flags) {
        return Arrays.stream(values()).filter(f -> f != ZEN && f.supportedBy(flags)).findFirst();
    }

    /** This CPU's feature flags, from {@code /proc/cpuinfo}; empty where there is none (not Linux). */
    public static Set<String> cpuFlags() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("flags"))
                    .findFirst()
                    .map(line -> Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
                    .orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** What this process's OpenBLAS runs: the forced family, or its own detection when none was forced. */
    public static String inUse() {
        String forced = System.getenv("OPENBLAS_CORETYPE");
        return forced == null || forced.isBlank() ? "OpenBLAS's own choice (OPENBLAS_CORETYPE unset)" : forced;
    }

    /**
     * The {@code OPENBLAS_CORETYPE} to start Carrot with, for the setting {@code auto} (the fastest family this CPU
     * supports), {@code openblas} (leave OpenBLAS's choice alone: empty) or a family's name.
     *
     * @throws IllegalArgumentException for an unknown name or a family this CPU cannot run
     */
    public static String resolve(String setting, Set<String> flags) {
        String choice = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        if (choice.equals("openblas")) {
            return "";
        }
        if (choice.equals("auto")) {
            return best(flags).map(BlasFamily::coreType).orElse("");
        }
        BlasFamily family = named(choice).orElseThrow(() -> new IllegalArgumentException(SETTING + "=" + setting
                + ": unknown kernel family; expected auto, openblas or one of " + names()));
        if (!flags.isEmpty() && !family.supportedBy(flags)) {
            throw new IllegalArgumentException(SETTING + "=" + setting + ": this CPU lacks " + family.cpuFlags.stream()
                    .filter(f -> !flags.contains(f)).collect(Collectors.joining(", ")) + ", which " + family.coreType
                    + "'s kernels need; it supports " + supportedNames(flags));
        }
        return family.coreType;
    }

    private static String names() {
        return Arrays.stream(values()).map(BlasFamily::coreType).collect(Collectors.joining(", "));
    }

    private static String supportedNames(Set<String> flags) {
        String supported = Arrays.stream(values()).filter(f -> f.supportedBy(flags)).map(BlasFamily::coreType)
                .collect(Collectors.joining(", "));
        return supported.isEmpty() ? "none of them (use openblas)" : supported;
    }

    /**
     * Prints the {@code OPENBLAS_CORETYPE} for {@code $CARROT_BLAS_FAMILY} (empty: leave it alone), or the error and
     * exit code 2. Loads no native code, so that {@code ./carrot} can ask before the JVM that does.
     */
    public static void main(String[] args) {
        try {
            System.out.println(resolve(System.getenv(SETTING), cpuFlags()));
        } catch (IllegalArgumentException e) {
            System.err.println("carrot: " + e.getMessage());
            System.exit(2);
        }
    }
}
