package dev.carrot.rewards;

import dev.carrot.rewards.analysis.RewardAnalysis;
import dev.carrot.rewards.analysis.RewardAnalyzer;
import dev.carrot.rewards.config.RewardConfig;
import dev.carrot.rewards.config.RewardConfigException;
import dev.carrot.rewards.grading.Category;
import dev.carrot.rewards.schemes.Payoffs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardSchemeRegistryTest {

    private static final Path EXAMPLE = Path.of("../examples/reward-plugin");

    @Test
    void builtInsAreRegisteredByName() {
        assertEquals(List.of("brier", "calibration", "confidence-target", "exact-match", "format", "length",
                "log-score"), List.copyOf(RewardSchemeRegistry.builtIn().entries().keySet()));
    }

    @Test
    void discoversSchemesFromJarsOnTheClasspath() {
        RewardSchemeRegistry registry = RewardSchemeRegistry.discover(List.of());

        assertEquals("classpath", registry.entries().get("constant").origin());
        GuardedScheme scheme = registry.build(RewardConfig.parse(
                "reward: {scheme: constant, params: {value: 2.5}}", "job.yaml"));
        assertEquals(2.5, scheme.score(List.of(Rollout.of("q", "a", List.of()))).get(0).value());
    }

    @Test
    void unknownSchemeNamesTheKnownOnesAndTheWayToAddMore() {
        RewardConfigException e = assertThrows(RewardConfigException.class, () -> RewardSchemeRegistry.builtIn()
                .build(RewardConfig.parse("reward: {scheme: numeric-tolerance}", "job.yaml")));

        assertEquals("job.yaml: reward.scheme: unknown reward scheme \"numeric-tolerance\" (known: brier, calibration,"
                + " confidence-target, exact-match, format, length, log-score; add schemes from a jar with"
                + " --reward-plugin FILE.jar)", e.getMessage());
    }

    @Test
    void aNameCanBeDefinedOnlyOnce() {
        RewardSchemeProvider constant = new ConstantSchemeProvider();
        RewardSchemeProvider impostor = new RewardSchemeProvider() {
            @Override
            public String name() {
                return "calibration";
            }

            @Override
            public String description() {
                return constant.description();
            }

            @Override
            public RewardScheme create(SchemeParams params) {
                return constant.create(params);
            }
        };

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RewardSchemeRegistry.builtIn().with(impostor, "plugin evil.jar"));
        assertTrue(e.getMessage().startsWith("reward scheme 'calibration' is defined twice: by built-in ("),
                e.getMessage());
        assertTrue(e.getMessage().contains(" and by plugin evil.jar ("), e.getMessage());
    }

    @Test
    void pluginJarsMustBeJarsThatDeclareASchemeProvider(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.jar");
        assertEquals("reward plugin " + missing + ": no such file", assertThrows(IllegalArgumentException.class,
                () -> RewardPlugins.load(missing)).getMessage());

        Path text = Files.writeString(dir.resolve("notes.jar"), "not a zip");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RewardPlugins.load(text)).getMessage()
                .startsWith("reward plugin " + text + " is not a readable jar"));

        Path empty = dir.resolve("empty.jar");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(empty))) {
            jar.putNextEntry(new JarEntry("README"));
        }
        assertEquals("reward plugin " + empty + " declares no reward scheme: it lacks META-INF/services/"
                        + "dev.carrot.rewards.RewardSchemeProvider, which should list its RewardSchemeProvider classes",
                assertThrows(IllegalArgumentException.class, () -> RewardPlugins.load(empty)).getMessage());
    }

    /**
     * The example plugin project, compiled and jarred here as its Maven build would, then loaded the way
     * {@code --reward-plugin} loads it and used by name from the example job's YAML.
     */
    @Test
    void loadsTheExamplePluginByNameFromAJobConfig(@TempDir Path dir) throws IOException {
        Path jar = buildExamplePlugin(dir);

        RewardSchemeRegistry registry = RewardSchemeRegistry.discover(List.of(jar));
        GuardedScheme scheme = registry.load(EXAMPLE.resolve("job.yaml"));

        assertEquals("plugin " + jar, registry.entries().get("numeric-tolerance").origin());
        List<Reward> rewards = scheme.score(List.of(
                Rollout.of("Pi to five digits?", "3.1416.", List.of("3.14159")),
                Rollout.of("Pi to five digits?", "I think it is 2.9, but I am not sure.", List.of("3.14159")),
                Rollout.of("Metres in a km?", "I don't know", List.of("1000"))));
        assertEquals(List.of(1.1, -0.9, 0.0), rewards.stream().map(r -> Math.round(r.value() * 1e9) / 1e9).toList());
        assertEquals(List.of(Category.CORRECT, Category.HEDGED_INCORRECT, Category.ABSTAINED),
                rewards.stream().map(Reward::category).toList());

        RewardAnalysis analysis = RewardAnalyzer.analyze(scheme);
        assertEquals(new Payoffs(1.0, 0.5, 0.0, -1.0, -4.0), analysis.payoffs());
        assertEquals(List.of("format (weight 0.1)"), analysis.unmodeled());
    }

    private static Path buildExamplePlugin(Path dir) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> sources;
        try (Stream<Path> files = Files.walk(EXAMPLE.resolve("src/main/java"))) {
            sources = files.filter(file -> file.toString().endsWith(".java")).map(Path::toString).toList();
        }
        String carrot = codeSource(RewardSchemeProvider.class) + java.io.File.pathSeparator
                + codeSource(dev.carrot.common.InvalidInputException.class);
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-classpath", carrot,
                "-d", classes.toString()));
        arguments.addAll(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, arguments.toArray(String[]::new)), "the example compiles");

        Path jar = dir.resolve("carrot-reward-plugin-example.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, classes);
            add(out, EXAMPLE.resolve("src/main/resources"));
        }
        return jar;
    }

    private static String codeSource(Class<?> type) {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    }

    private static void add(JarOutputStream jar, Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jar);
                jar.closeEntry();
            }
        }
    }
}
