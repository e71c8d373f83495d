package dev.carrot.rollout;

import dev.carrot.common.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The secret a worker presents to the trainer's weight endpoint ({@code Authorization: Bearer …}). It lives in a
 * file readable by its owner only, is never logged, and never travels on the event bus: the trainer and every
 * worker read it from their own copy of the file. {@link #toString()} does not show it.
 */
final class ClusterSecret {

    static final Path DEFAULT_FILE = Path.of(System.getProperty("user.home"), ".carrot", "cluster.secret");

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final byte[] value;

    private ClusterSecret(Path file, byte[] value) {
        this.file = file;
        this.value = value;
    }

    /**
     * Reads the secret in {@code file}, first creating it with 32 random bytes if it does not exist, so that
     * processes of one user on one machine share a secret without setup. Refuses a file that others may read.
     */
    static ClusterSecret loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null && !OWNER_ONLY.containsAll(posix.readAttributes().permissions())) {
                throw new InvalidInputException(file + ": the cluster secret must be readable by its owner only"
                        + " (chmod 600 " + file + ")");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.length() < 32) {
                throw new InvalidInputException(file + ": expected a secret of at least 32 characters, got "
                        + text.length());
            }
            return new ClusterSecret(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cluster secret " + file, e);
        }
    }

    /**
     * Writes a fresh secret to a private temporary file and links it into place: the link fails if another
     * process created the file first, and no reader ever sees a partial file.
     */
    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Path temp = Files.createTempFile(dir, ".cluster", ".secret");
        try {
            Files.setPosixFilePermissions(temp, OWNER_ONLY);
            Files.writeString(temp, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
            Files.createLink(file, temp);
        } catch (FileAlreadyExistsException raced) {
            // another process made it first: use theirs
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The file it was read from, for messages. */
    Path file() {
        return file;
    }

    /** The value of an {@code Authorization} header carrying this secret. */
    String bearer() {
        return "Bearer " + new String(value, StandardCharsets.UTF_8);
    }

    /** Whether an {@code Authorization} header carries this secret, compared in time independent of the secret. */
    boolean admits(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] presented = authorization.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(value, presented);
    }

    @Override
    public String toString() {
        return "ClusterSecret[" + file + ", value redacted]";
    }
}
