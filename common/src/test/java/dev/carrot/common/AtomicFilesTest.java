package dev.carrot.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path path = dir.resolve("model.safetensors");
        Files.writeString(path, "previous");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(path, channel -> {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            throw new UncheckedIOException(new IOException("disk full"));
        }));
        assertEquals("previous", Files.readString(path));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(path), files.toList());
        }
    }

    @Test
    void writesCreateTheDirectoryAndAreReadableByOthersAsTheUmaskAllows() throws IOException {
        Path path = dir.resolve("reports/run/report.json");
        AtomicFiles.writeString(path, "{}");
        assertEquals("{}", Files.readString(path));
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        // Not the owner-only mode of a temporary file: a report is for whoever may read the folder.
        assertEquals(Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain"))), permissions);
    }
}
