package dev.carrot.trainer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code tools/reference/peer_bench.py} (PyTorch) for one shape and reads its figures back. */
public final class PeerBenchmark {

    private final Path script;

    public PeerBenchmark(Path script) {
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException("peer script not found: " + script
                    + " (run from the repository root, where tools/reference/peer_bench.py lives)");
        }
        this.script = script;
    }

    /** The peer's JSON for one shape: {@code {"gemm_gflops": x, "shapes": {name: {...}}}}. */
    public JsonNode run(String shape, int threads) throws IOException, InterruptedException {
        Path out = Files.createTempFile("carrot-peer-", ".json");
        try {
            List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--shapes", shape,
                    "--threads", Integer.toString(threads), "--json", out.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            int status = process.waitFor();
            if (status != 0) {
                throw new IOException("peer benchmark failed (exit " + status + "): " + output.strip()
                        + "\n(install PyTorch with: apt-get install -y python3-torch libopenblas0-openmp)");
            }
            return new ObjectMapper().readTree(out.toFile());
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
