package dev.carrot.rollout;

import static dev.carrot.rollout.RolloutAssertions.assertCompletions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.carrot.policy.generate.SamplingParams;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer and a worker (two cluster nodes in this JVM) with mutual TLS on the event bus and the weight endpoint,
 * from a certificate made by {@code keytool} for the test. The worker joins after the trainer published version 1,
 * and has it before it serves.
 */
class ClusterTlsTest {

    private static final String PASSWORD = "test-password";

    @TempDir
    Path dir;

    @Test
    void rolloutsAndWeightsFlowOverMutualTlsAndTheEndpointRefusesAClientWithoutACertificate() throws Exception {
        TlsSettings tls = makeCertificates();
        ClusterOptions options = new ClusterOptions("tls-" + ProcessHandle.current().pid(),
                ClusterOptions.DEFAULT_HOST, List.of(), 5931, 0, 0, dir.resolve("cluster.secret"), null, tls);
        RolloutConfig config = new RolloutConfig(1, 4, 30_000, 3, 0, false);
        try (ClusterRolloutService trainer = ClusterRolloutService.start(TinyPolicy.policy(1), config, options,
                false)) {
            trainer.publishWeights(TinyPolicy.parameters(2), 1); // the worker joins mid-run
            try (ClusterWorker worker = ClusterWorker.start(options, "tls-worker", 2)) {
                trainer.awaitWorkers(1, Duration.ofSeconds(60));
                assertEquals(1, trainer.awaitSynced(1, 1, Duration.ofSeconds(60)).version());
                generateAndFetchOverTls(trainer, tls);
            }
        }
    }

    private static void generateAndFetchOverTls(ClusterRolloutService trainer, TlsSettings tls) throws Exception {
        List<String> prompts = TinyPolicy.PROMPTS;
        SamplingParams sampling = SamplingParams.sampling(1.0, 8);
        List<Completion> completions = trainer.generate(prompts, sampling, 3).get(60, TimeUnit.SECONDS);
        assertCompletions(prompts, TinyPolicy.direct(TinyPolicy.parameters(2), prompts, 4, sampling, 3),
                completions);
        assertEquals(List.of("tls-worker"), completions.stream().map(Completion::worker).distinct().toList());

        String url = trainer.weightsUrl() + "v1/config.json";
        HttpClient trusting = HttpClient.newBuilder().sslContext(trustOnly(tls)).build();
        assertThrows(IOException.class, () -> trusting.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()), "no client certificate, no handshake");
    }

    /** A self-signed certificate for 127.0.0.1, in a key store, and trusted by a trust store. */
    private TlsSettings makeCertificates() throws Exception {
        Path keyStore = dir.resolve("node.p12");
        Path certificate = dir.resolve("node.crt");
        Path trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=carrot-test", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "node", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "carrot-test-ca", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        return new TlsSettings(keyStore, trustStore, PASSWORD);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }

    private static SSLContext trustOnly(TlsSettings tls) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.trustStore())) {
            trust.load(in, tls.password().toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
