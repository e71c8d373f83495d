package dev.carrot.rollout;

import dev.carrot.common.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS with mutual authentication for the cluster: every node presents the certificate in its key store and accepts
 * only peers whose certificate chains to one in its trust store. There is no trust-all mode. Both stores are
 * PKCS#12 files (what {@code keytool} and {@code openssl pkcs12} write), so that the event bus (Vert.x) and the
 * weight fetch (the JDK's HTTP client) read the same files.
 *
 * @param keyStore   this node's private key and certificate chain
 * @param trustStore the certificates (usually one CA) that peers must chain to
 * @param password   of both stores
 */
public record TlsSettings(Path keyStore, Path trustStore, String password) {

    public TlsSettings {
        Objects.requireNonNull(password, "password");
        requireFile("key store", keyStore);
        requireFile("trust store", trustStore);
    }

    private static void requireFile(String what, Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new InvalidInputException("TLS " + what + " " + file + ": no such file (expected a PKCS#12 file)");
        }
    }
}
