package dev.carrot.common;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files that users keep (checkpoints, tokenizers, reports, plots) so that a crash never leaves a half-written
 * one: the content goes to a temporary file in the target's directory, is forced to disk, and then replaces the
 * target with one atomic rename. Readers see either the old file or the complete new one.
 */
public final class AtomicFiles {

    /** Writes the content of a file to an open channel. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {}

    /** Replaces {@code target} with {@code content}. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, channel -> writeFully(channel, ByteBuffer.wrap(content)));
    }

    /** Replaces {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code target} with what {@code content} writes, creating its directory if needed; on failure
     * {@code target} is untouched and the temporary file is removed.
     */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        // Same directory, hence same file system: the rename below can be atomic. A plain create (not
        // createTempFile, which makes owner-only files) keeps the permissions the user's umask gives.
        Path temporary = temporaryBeside(absolute);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Writes all of {@code buffer}: a channel may write fewer bytes than asked in one call. */
    public static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static Path temporaryBeside(Path target) throws IOException {
        while (true) {
            Path candidate = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException taken) {
                // another writer drew the same name: draw again
            }
        }
    }
}
