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
 * with certificates made by {@code keytool} for the test. The worker joins after the trainer published version 1,
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
        RolloutConfig config = new RolloutConfig(1, 4, 30_000, 3);
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

    /**
     * A CA, and a key for 127.0.0.1 signed by it, made the way the README tells users to: the key store holds the
     * node's key and chain, the trust store the CA alone.
     */
    private TlsSettings makeCertificates() throws Exception {
        String ca = dir.resolve("ca.p12").toString();
        String caPem = dir.resolve("ca.pem").toString();
        String trust = dir.resolve("trust.p12").toString();
        String node = dir.resolve("node.p12").toString();
        String csr = dir.resolve("node.csr").toString();
        String nodePem = dir.resolve("node.pem").toString();
        String pw = PASSWORD;
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=carrot-ca",
                "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", ca, "-storepass", pw);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pw, "-file", caPem);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem, "-storetype", "PKCS12", "-keystore",
                trust, "-storepass", pw);
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", node, "-storepass", pw);
        keytool("-certreq", "-alias", "node", "-keystore", node, "-storepass", pw, "-file", csr);
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pw, "-infile", csr, "-outfile",
                nodePem, "-ext", "SAN=ip:127.0.0.1", "-ext", "ku:c=digitalSignature", "-ext",
                "eku=serverAuth,clientAuth", "-validity", "2");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem, "-keystore", node, "-storepass", pw);
        keytool("-importcert", "-alias", "node", "-file", nodePem, "-keystore", node, "-storepass", pw);
        return new TlsSettings(Path.of(node), Path.of(trust), pw);
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
