package dev.carrot.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job file the YAML parser refuses is named by file, line and the line itself, which names the key. */
class ConfigBinderTest {

    @TempDir
    Path dir;

    @Test
    void notANumberIsRefusedWithTheLineThatHoldsIt() throws Exception {
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, "pretrain:\n  steps: 2\n  learning_rate: .nan\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigBinder.readTree(job));
        assertEquals(job + ":3: not valid YAML: Malformed numeric value '.nan' in \"learning_rate: .nan\"; expected a"
                + " finite number", e.getMessage());
    }

    @Test
    void aBrokenMappingIsRefusedWithItsLine() throws Exception {
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, "ppo:\n  iterations: 3\n epochs: [2\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigBinder.readTree(job));
        assertTrue(e.getMessage().startsWith(job + ":") && e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void notANumberInsideAFlowMappingIsNamedByItsKey() throws Exception {
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, "ppo: {iterations: 4, learning_rate: -.inf}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigBinder.readTree(job));
        assertTrue(e.getMessage().endsWith("; learning_rate: expected a finite number"), e.getMessage());
    }
}
