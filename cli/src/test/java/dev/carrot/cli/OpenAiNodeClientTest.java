package dev.carrot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code openai} client for Node.js, at the version {@code tools/openai-node/package-lock.json} pins,
 * talks to {@code carrot serve}: {@code check.mjs} asks for a completion, a chat completion and a streamed chat
 * completion and checks their shapes. Needs node and npm (CI has them); installs the client with {@code npm ci}
 * unless that version is installed already.
 */
class OpenAiNodeClientTest {

    private static final Path TOOL = Path.of("").toAbsolutePath().getParent().resolve("tools/openai-node");

    @TempDir
    Path dir;

    @Test
    void theOfficialNodeClientGetsACompletionAChatAndAStream() throws Exception {
        installClient();
        try (ServedModel served = new ServedModel(dir)) {
            Result check = run(List.of("node", "check.mjs", served.baseUrl, ServedModel.NAME, ServedModel.KEY), 120);
            assertEquals(0, check.status(), check.output());
            assertTrue(check.output().contains("openai-node check passed"), check.output());
        }
    }

    private record Result(int status, String output) {}

    private static void installClient() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String pinned = json.readTree(TOOL.resolve("package-lock.json").toFile())
                .path("packages").path("node_modules/openai").path("version").asText();
        Path installed = TOOL.resolve("node_modules/openai/package.json");
        if (Files.exists(installed) && pinned.equals(json.readTree(installed.toFile()).path("version").asText())) {
            return;
        }
        Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        assertEquals(0, install.status(), "npm ci failed in " + TOOL + ":\n" + install.output());
    }

    private static Result run(List<String> command, long timeoutSeconds) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(TOOL.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("this test needs node and npm on the PATH (CI has them): cannot run " + command.get(0)
                    + ": " + e.getMessage());
        }
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes(); // until the process closes it
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
