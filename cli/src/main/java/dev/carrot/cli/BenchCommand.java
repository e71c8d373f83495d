package dev.carrot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.common.AtomicFiles;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.tensor.BlasFamily;
import dev.carrot.policy.tensor.Parallel;
import dev.carrot.trainer.bench.BenchShape;
import dev.carrot.trainer.bench.ClusterBenchmark;
import dev.carrot.trainer.bench.EngineBenchmark;
import dev.carrot.trainer.bench.KernelBenchmark;
import dev.carrot.trainer.bench.PeerBenchmark;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the engine on the reference shapes: training-step tokens/s (forward, loss, backward,"
                + " AdamW), PPO-step tokens/s (clipped surrogate, clipped value loss, entropy bonus, backward, AdamW),"
                + " KV-cached generation tokens/s (16 prompts x 16 tokens, 48 new), the fp32 GEMM GFLOP/s the"
                + " engine's products (OpenBLAS) reach here, and training FLOP/s as a fraction of it.",
                "With --peer, PyTorch (tools/reference/peer_bench.py) runs the same workloads interleaved with"
                        + " Carrot's, shape by shape, and every figure is also reported as a ratio Carrot / PyTorch."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--shapes", split = ",", defaultValue = "a,b,c",
            description = "subset of a,b,c (default: ${DEFAULT-VALUE})")
    List<String> shapes;

    @Option(names = "--threads", description = "threads for Carrot's kernels and matrix products, and PyTorch's"
            + " intra-op threads (default: all cores)")
    Integer threads;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
    Path json;

    @Option(names = "--peer", description = "run the PyTorch peer benchmark interleaved and report ratios")
    boolean peer;

    @Option(names = "--kernels", description = "instead: time libnd4j's ops against Carrot's Java kernels")
    boolean kernels;

    @Option(names = "--peer-script", defaultValue = "tools/reference/peer_bench.py", hidden = true)
    Path peerScript;

    @Option(names = "--cluster", description = "instead: rollout throughput of the rollout cluster with worker"
            + " processes started here (see --cluster-workers), and the time a weights version takes to reach them")
    boolean cluster;

    @Option(names = "--cluster-workers", split = ",", defaultValue = "1,2",
            description = "with --cluster: worker process counts to measure (default: ${DEFAULT-VALUE})")
    List<Integer> clusterWorkers;

    @Option(names = "--cluster-threads", defaultValue = "0",
            description = "with --cluster: threads per worker (default: cores / workers)")
    int clusterThreads;

    @Option(names = "--cluster-shape", defaultValue = "b",
            description = "with --cluster: the model shape, one of a, b, c (default: ${DEFAULT-VALUE})")
    String clusterShape;

    @Override
    public Integer call() throws Exception {
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Nd4j.getEnvironment().setMaxMasterThreads(n); // libnd4j's own ops, timed by --kernels
        Parallel.setThreads(n);
        if (cluster) {
            return clusterBench();
        }
        if (kernels) {
            System.out.printf(Locale.ROOT, "%-45s %-12s %12s %10s %8s%n", "kernel", "shape", "libnd4j ms", "Java ms",
                    "Java ×");
            for (KernelBenchmark.Row row : new KernelBenchmark().run()) {
                System.out.printf(Locale.ROOT, "%-45s %-12s %12.3f %10.3f %7.1fx%n", row.kernel(), row.shape(),
                        row.libnd4jMillis(), row.javaMillis(), row.speedup());
            }
            return 0;
        }
        for (String s : shapes) {
            if (!BenchShape.REFERENCE.containsKey(s)) {
                throw new IllegalArgumentException("--shapes: unknown shape '" + s + "'; expected a, b or c");
            }
        }
        PeerBenchmark peerBench = peer ? new PeerBenchmark(peerScript) : null;
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode shapeNodes = mapper.createObjectNode();
        ObjectNode peerNodes = mapper.createObjectNode();
        ObjectNode ratioNodes = mapper.createObjectNode();
        EngineBenchmark bench = new EngineBenchmark(new JavaKernels());

        System.out.printf(Locale.ROOT, "threads %d · engine fp32 GEMM 1024² measured before each Carrot run%n", n);
        System.out.printf(Locale.ROOT, "OpenBLAS kernels: Carrot %s%s%n", BlasFamily.inUse(),
                peer ? ", PyTorch: see below" : "");
        System.out.printf(Locale.ROOT, "%-5s %12s %12s %12s %11s %9s %11s %9s%s%n", "shape", "train tok/s", "ppo tok/s",
                "gen tok/s", "GEMM GF/s", "% GEMM", "fwd tok/s", "inv fwd", peer ? String.format(Locale.ROOT, " %12s %12s %12s %8s %8s %8s",
                        "torch train", "torch ppo", "torch gen", "train ×", "ppo ×", "gen ×") : "");
        double gemm = 0;
        double peerGemm = 0;
        String peerCore = "unknown";
        for (String name : shapes) {
            BenchShape shape = BenchShape.REFERENCE.get(name);
            // The GEMM peak is measured next to each training measurement and, like it, the better of two: the
            // machine drifts between speed states over seconds, and a fraction of a peak taken in another state
            // would be off by as much as the drift (one taken at the start read 91 GFLOP/s against 170 later).
            double shapeGemm = EngineBenchmark.gemmGflops();
            // Interleaved A B A B: the machine drifts between speed states over seconds; best of two for each side.
            EngineBenchmark.Result carrot = bench.run(shape);
            JsonNode torch = null;
            if (peer) {
                torch = peerBench.run(name, n);
                shapeGemm = Math.max(shapeGemm, EngineBenchmark.gemmGflops());
                EngineBenchmark.Result again = bench.run(shape);
                JsonNode torchAgain = peerBench.run(name, n);
                carrot = better(carrot, again);
                torch = betterPeer(torch, torchAgain, name);
                peerGemm = Math.max(peerGemm, torch.path("gemm_gflops").asDouble());
                peerCore = torch.path("blas_core").asText("unknown");
            }
            gemm = Math.max(gemm, shapeGemm);
            double fraction = carrot.trainFlopsPerSecond() / (shapeGemm * 1e9);
            ObjectNode node = shapeNodes.putObject(name);
            node.put("gemm_gflops", shapeGemm);
            node.put("train_tokens_per_s", carrot.trainTokensPerSecond());
            node.put("ppo_tokens_per_s", carrot.ppoTokensPerSecond());
            node.put("gen_tokens_per_s", carrot.genTokensPerSecond());
            node.put("train_fraction_of_gemm", fraction);
            node.put("forward_tokens_per_s", carrot.forwardTokensPerSecond());
            node.put("batch_invariant_forward_tokens_per_s", carrot.invariantForwardTokensPerSecond());
            String peerColumns = "";
            if (torch != null) {
                JsonNode t = torch.path("shapes").path(name);
                peerNodes.set(name, t);
                double trainRatio = carrot.trainTokensPerSecond() / t.path("train_tokens_per_s").asDouble();
                double ppoRatio = carrot.ppoTokensPerSecond() / t.path("ppo_tokens_per_s").asDouble();
                double genRatio = carrot.genTokensPerSecond() / t.path("gen_tokens_per_s").asDouble();
                ObjectNode ratio = ratioNodes.putObject(name);
                ratio.put("train", trainRatio);
                ratio.put("ppo", ppoRatio);
                ratio.put("gen", genRatio);
                peerColumns = String.format(Locale.ROOT, " %12.0f %12.0f %12.0f %7.2fx %7.2fx %7.2fx",
                        t.path("train_tokens_per_s").asDouble(), t.path("ppo_tokens_per_s").asDouble(),
                        t.path("gen_tokens_per_s").asDouble(), trainRatio, ppoRatio, genRatio);
            }
            System.out.printf(Locale.ROOT, "%-5s %12.0f %12.0f %12.0f %11.1f %8.1f%% %11.0f %8.2fx%s%n", name,
                    carrot.trainTokensPerSecond(), carrot.ppoTokensPerSecond(), carrot.genTokensPerSecond(), shapeGemm,
                    100 * fraction, carrot.forwardTokensPerSecond(),
                    carrot.invariantForwardTokensPerSecond() / carrot.forwardTokensPerSecond(), peerColumns);
        }
        if (peer) {
            System.out.printf(Locale.ROOT, "OpenBLAS kernels: PyTorch %s%n", peerCore);
        }
        root.put("threads", n);
        root.put("blas_family", BlasFamily.inUse());
        root.put("gemm_gflops", gemm);
        root.set("shapes", shapeNodes);
        if (peer) {
            root.put("peer_gemm_gflops", peerGemm);
            root.put("peer_blas_core", peerCore);
            root.set("peer", peerNodes);
            root.set("ratios", ratioNodes);
        }
        if (json != null) {
            AtomicFiles.write(json, mapper.writeValueAsBytes(root));
        }
        return 0;
    }

    private int clusterBench() throws Exception {
        BenchShape shape = BenchShape.REFERENCE.get(clusterShape);
        if (shape == null) {
            throw new IllegalArgumentException("--cluster-shape: unknown shape '" + clusterShape
                    + "'; expected a, b or c");
        }
        List<String> worker = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), CarrotCommand.class.getName(), "worker", "--cluster");
        Path dir = java.nio.file.Files.createTempDirectory("carrot-cluster-bench");
        ClusterBenchmark bench = new ClusterBenchmark(worker, dir);
        System.out.printf(Locale.ROOT, "rollout cluster on %d cores, shape %s: %d prompts x %d new tokens per batch,"
                + " chunks of %d; worker logs in %s%n", Runtime.getRuntime().availableProcessors(), shape.name(),
                ClusterBenchmark.PROMPTS, ClusterBenchmark.NEW_TOKENS, ClusterBenchmark.CHUNK, dir);
        System.out.printf(Locale.ROOT, "%8s %9s %12s %10s %12s %12s%n", "workers", "threads", "rollout tok/s",
                "vs first", "sync s", "sync bytes");
        double first = 0;
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode().put("cores", Runtime.getRuntime().availableProcessors())
                .put("shape", shape.name());
        var rows = root.putArray("runs");
        for (int workers : clusterWorkers) {
            ClusterBenchmark.Result r = bench.run(workers, clusterThreads, shape);
            first = first == 0 ? r.tokensPerSecond() : first;
            System.out.printf(Locale.ROOT, "%8d %9d %12.0f %9.2fx %12.3f %12d%n", r.workers(), r.threadsPerWorker(),
                    r.tokensPerSecond(), r.tokensPerSecond() / first, r.syncSeconds(), r.syncBytes());
            rows.addObject().put("workers", r.workers()).put("threads_per_worker", r.threadsPerWorker())
                    .put("rollout_tokens_per_s", r.tokensPerSecond()).put("sync_seconds", r.syncSeconds())
                    .put("sync_bytes", r.syncBytes());
        }
        if (json != null) {
            AtomicFiles.write(json, mapper.writeValueAsBytes(root));
        }
        return 0;
    }

    private static EngineBenchmark.Result better(EngineBenchmark.Result a, EngineBenchmark.Result b) {
        return new EngineBenchmark.Result(Math.max(a.trainTokensPerSecond(), b.trainTokensPerSecond()),
                Math.max(a.ppoTokensPerSecond(), b.ppoTokensPerSecond()),
                Math.max(a.genTokensPerSecond(), b.genTokensPerSecond()),
                Math.max(a.trainFlopsPerSecond(), b.trainFlopsPerSecond()),
                Math.max(a.forwardTokensPerSecond(), b.forwardTokensPerSecond()),
                Math.max(a.invariantForwardTokensPerSecond(), b.invariantForwardTokensPerSecond()));
    }

    private static JsonNode betterPeer(JsonNode a, JsonNode b, String shape) {
        ObjectNode merged = a.deepCopy();
        ObjectNode sa = (ObjectNode) merged.path("shapes").path(shape);
        JsonNode sb = b.path("shapes").path(shape);
        sb.fieldNames().forEachRemaining(key -> {
            if (key.endsWith("_per_s") || key.endsWith("_of_gemm")) {
                sa.put(key, Math.max(sa.path(key).asDouble(), sb.path(key).asDouble()));
            }
        });
        merged.put("gemm_gflops", Math.max(a.path("gemm_gflops").asDouble(), b.path("gemm_gflops").asDouble()));
        return merged;
    }
}
