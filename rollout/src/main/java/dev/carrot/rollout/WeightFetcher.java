package dev.carrot.rollout;

import dev.carrot.common.Sha256;
import dev.carrot.common.FileTrees;
import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.kernels.JavaKernels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Gets a published weights version for a worker: over HTTP from the trainer's weight endpoint, authenticated with
 * the cluster secret, or from a shared weights directory; checks every file's size and SHA-256 against the
 * announcement before loading it. A file that fails its check is fetched once more, then the fetch fails naming the
 * file. Blocking: call it on a worker thread.
 */
final class WeightFetcher {

    /** The version is no longer kept (a newer one replaced it while this fetch started): fetch the current one. */
    static final class VersionGone extends IOException {
        VersionGone(String message) {
            super(message);
        }
    }

    /** A loaded version, and what fetching it cost. */
    record Fetched(Policy policy, long version, long bytes, double seconds) {}

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(10);

    private final ClusterSecret secret;
    private final Path sharedDir;
    private final Path scratch;
    private final HttpClient http;

    /**
     * @param sharedDir the shared weights directory as this machine mounts it, or null to fetch over HTTP
     * @param scratch   a private directory for downloads, emptied after each fetch
     */
    WeightFetcher(ClusterSecret secret, TlsSettings tls, Path sharedDir, Path scratch) {
        this.secret = secret;
        this.sharedDir = sharedDir;
        this.scratch = scratch;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        if (tls != null) {
            builder.sslContext(sslContext(tls));
        }
        this.http = builder.build();
    }

    /** @throws VersionGone (wrapped) if the trainer no longer keeps the version */
    Fetched fetch(WeightAnnouncement announcement) {
        long start = System.nanoTime();
        Path dir = sharedDir != null ? sharedDir.resolve(announcement.dir()) : scratch.resolve(announcement.dir());
        try {
            if (sharedDir != null && !Files.isDirectory(dir)) {
                throw new VersionGone(dir + ": weights version " + announcement.version() + " is no longer kept");
            }
            for (WeightAnnouncement.File file : announcement.files()) {
                if (sharedDir != null) {
                    check(announcement, file, dir.resolve(file.name()));
                } else {
                    download(announcement, file, dir);
                }
            }
            Policy policy = PolicyCheckpoint.load(dir, new JavaKernels());
            return new Fetched(policy, announcement.version(), announcement.bytes(),
                    (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException("could not get weights version " + announcement.version() + " from "
                    + (sharedDir != null ? dir : announcement.url() + announcement.dir()) + ": " + e.getMessage(), e);
        } finally {
            if (sharedDir == null) {
                try {
                    FileTrees.deleteRecursively(dir);
                } catch (IOException e) {
                    System.getLogger(WeightFetcher.class.getName()).log(System.Logger.Level.WARNING,
                            "could not clean up " + dir, e);
                }
            }
        }
    }

    private void download(WeightAnnouncement announcement, WeightAnnouncement.File file, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(file.name());
        URI uri = URI.create(announcement.url() + announcement.dir() + "/" + file.name());
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(FILE_TIMEOUT)
                .header("Authorization", secret.bearer()).GET().build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<Path> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofFile(target));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching " + uri, e);
            }
            if (response.statusCode() == 401) {
                throw new IOException("the trainer refused the cluster secret in " + secret.file()
                        + "; give every worker a copy of the trainer's secret file");
            }
            if (response.statusCode() == 404) {
                throw new VersionGone(uri + ": weights version " + announcement.version() + " is no longer kept");
            }
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered HTTP " + response.statusCode());
            }
            try {
                check(announcement, file, target);
                return;
            } catch (IOException mismatch) {
                if (attempt == 2) {
                    throw mismatch;
                }
            }
        }
    }

    private static void check(WeightAnnouncement announcement, WeightAnnouncement.File file, Path path)
            throws IOException {
        long size = Files.size(path);
        String sha256 = Sha256.of(path);
        if (size != file.size() || !sha256.equals(file.sha256())) {
            throw new IOException(file.name() + " of weights version " + announcement.version() + " has "
                    + size + " bytes and SHA-256 " + sha256 + "; the trainer announced " + file.size()
                    + " bytes and " + file.sha256());
        }
    }

    private static SSLContext sslContext(TlsSettings tls) {
        char[] password = tls.password().toCharArray();
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(pkcs12(tls.keyStore(), password), password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(pkcs12(tls.trustStore(), password));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new RolloutException("cannot use the TLS stores " + tls.keyStore() + " and " + tls.trustStore()
                    + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore pkcs12(Path file, char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

}
