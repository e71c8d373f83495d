package dev.carrot.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.common.InvalidInputException;
import io.vertx.core.Vertx;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights between processes: the secret, the authenticated endpoint, checksums, and the shared directory. */
class WeightSyncTest {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private ClusterOptions options() {
        return new ClusterOptions("test", ClusterOptions.DEFAULT_HOST, List.of(), 5701, 0, 0,
                dir.resolve("secret"), null, null);
    }

    private WeightAnnouncement publish(WeightPublisher publisher, String url, long version, long seed) {
        WeightPublisher.Version v = publisher.publish(TinyPolicy.parameters(seed), version);
        return new WeightAnnouncement("trainer", url, version, v.dir(), v.files());
    }

    private int status(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theSecretFileIsCreatedOwnerOnlyAndAFileOthersCanReadIsRefused() throws Exception {
        Path file = dir.resolve("sub").resolve("cluster.secret");
        ClusterSecret secret = ClusterSecret.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(secret.admits(ClusterSecret.loadOrCreate(file).bearer()), "read back the same");
        assertTrue(!secret.toString().contains(Files.readString(file).strip()), "never shown");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ClusterSecret.loadOrCreate(file));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void theEndpointServesAVersionOnlyToRequestsWithTheSecret() throws Exception {
        ClusterSecret secret = ClusterSecret.loadOrCreate(dir.resolve("secret"));
        try (WeightPublisher publisher = new WeightPublisher(dir.resolve("weights"), true, TinyPolicy.TOKENIZER, 2);
                WeightServer server = WeightServer.start(vertx, options(), secret, publisher)) {
            WeightAnnouncement v0 = publish(publisher, server.url(), 0, 1);
            String model = server.url() + v0.dir() + "/model.safetensors";
            assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
            assertEquals(401, status(model, null));
            assertEquals(401, status(model, "Bearer " + "0".repeat(64)));
            assertEquals(401, status(model, secret.bearer().replace("Bearer ", "Basic ")));
            assertEquals(200, status(model, secret.bearer()));
            assertEquals(404, status(server.url() + v0.dir() + "/../secret", secret.bearer()));
            assertEquals(404, status(server.url() + "v9/model.safetensors", secret.bearer()));

            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(model))
                    .header("Authorization", secret.bearer()).build(), HttpResponse.BodyHandlers.ofByteArray());
            String announced = v0.files().stream().filter(f -> f.name().equals("model.safetensors")).findFirst()
                    .orElseThrow().sha256();
            assertEquals(announced, response.headers().firstValue(WeightServer.CHECKSUM_HEADER).orElseThrow());
        }
    }

    @Test
    void aWorkerFetchesChecksAndLoadsAVersionAndOldVersionsAreDropped() throws Exception {
        ClusterSecret secret = ClusterSecret.loadOrCreate(dir.resolve("secret"));
        try (WeightPublisher publisher = new WeightPublisher(dir.resolve("weights"), true, TinyPolicy.TOKENIZER, 2);
                WeightServer server = WeightServer.start(vertx, options(), secret, publisher)) {
            publish(publisher, server.url(), 0, 1);
            publish(publisher, server.url(), 1, 2);
            WeightAnnouncement v2 = publish(publisher, server.url(), 2, 3);
            assertTrue(Files.notExists(dir.resolve("weights").resolve("v0")), "only the newest two are kept");

            WeightFetcher fetcher = new WeightFetcher(secret, null, null, Files.createDirectory(dir.resolve("dl")));
            WeightFetcher.Fetched fetched = fetcher.fetch(v2);
            assertEquals(2, fetched.version());
            assertEquals(v2.bytes(), fetched.bytes());
            assertArrayEquals(TinyPolicy.parameters(3).flat().toArray(),
                    fetched.policy().model().parameters().flat().toArray());
            assertEquals(TinyPolicy.TOKENIZER.vocabSize(), fetched.policy().tokenizer().vocabSize());

            Path otherSecret = dir.resolve("other.secret");
            WeightFetcher stranger = new WeightFetcher(ClusterSecret.loadOrCreate(otherSecret), null, null,
                    Files.createDirectory(dir.resolve("dl2")));
            UncheckedIOException refused = assertThrows(UncheckedIOException.class, () -> stranger.fetch(v2));
            assertTrue(refused.getMessage().contains("refused the cluster secret in " + otherSecret),
                    refused.getMessage());
        }
    }

    @Test
    void aSharedDirectoryFileThatDoesNotMatchItsChecksumIsRefused() throws Exception {
        Path shared = dir.resolve("shared");
        try (WeightPublisher publisher = new WeightPublisher(shared, false, TinyPolicy.TOKENIZER, 2)) {
            WeightAnnouncement v0 = publish(publisher, "unused", 0, 1);
            WeightFetcher fetcher = new WeightFetcher(ClusterSecret.loadOrCreate(dir.resolve("secret")), null,
                    shared, dir);
            assertArrayEquals(TinyPolicy.parameters(1).flat().toArray(),
                    fetcher.fetch(v0).policy().model().parameters().flat().toArray());

            Files.write(shared.resolve("v0").resolve("model.safetensors"), new byte[] {0},
                    StandardOpenOption.APPEND);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> fetcher.fetch(v0));
            assertTrue(e.getMessage().contains("model.safetensors of weights version 0 has"), e.getMessage());
        }
    }
}
