package dev.carrot.rollout;

import dev.carrot.common.FileTrees;
import dev.carrot.common.Sha256;
import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * The trainer's published weights on disk, for workers of other processes: each version is a policy checkpoint in
 * its own directory {@code v<version>}, renamed into place complete, with the size and SHA-256 of every file. The
 * newest {@code keep} versions are kept, so that a worker still fetching the previous one finishes. Thread-safe.
 */
final class WeightPublisher implements AutoCloseable {

    /** A version on disk: its directory name and its files. */
    record Version(long version, String dir, List<WeightAnnouncement.File> files) {}

    private final Path root;
    private final boolean ownsRoot;
    private final Tokenizer tokenizer;
    private final int keep;
    private final Deque<Version> versions = new ArrayDeque<>(); // oldest first

    /**
     * @param root     where versions go: a shared directory, or a private one
     * @param ownsRoot whether {@link #close} deletes {@code root} itself, not only the versions written to it
     * @param keep     versions to keep, ≥ 1
     */
    WeightPublisher(Path root, boolean ownsRoot, Tokenizer tokenizer, int keep) {
        this.root = root;
        this.ownsRoot = ownsRoot;
        this.tokenizer = tokenizer;
        this.keep = keep;
    }

    /** Writes {@code parameters} as {@code version} and drops versions beyond the newest {@code keep}. */
    Version publish(GptParameters parameters, long version) {
        String dir = "v" + version;
        Path target = root.resolve(dir);
        Path partial = root.resolve(dir + ".partial");
        try {
            FileTrees.deleteRecursively(partial);
            PolicyCheckpoint.save(new Policy(new Gpt(parameters, new JavaKernels()), tokenizer), partial);
            List<WeightAnnouncement.File> files = new ArrayList<>();
            try (Stream<Path> listing = Files.list(partial)) {
                for (Path file : listing.sorted().toList()) {
                    files.add(new WeightAnnouncement.File(file.getFileName().toString(), Files.size(file),
                            Sha256.of(file)));
                }
            }
            FileTrees.deleteRecursively(target);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            Version written = new Version(version, dir, files);
            List<Version> dropped = new ArrayList<>();
            synchronized (this) {
                versions.addLast(written);
                while (versions.size() > keep) {
                    dropped.add(versions.removeFirst());
                }
            }
            for (Version old : dropped) {
                FileTrees.deleteRecursively(root.resolve(old.dir()));
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write weights version " + version + " to " + target, e);
        }
    }

    synchronized Version latest() {
        return versions.getLast();
    }

    /** A kept file and where it is. */
    record Stored(Path path, WeightAnnouncement.File file) {}

    /**
     * The file {@code name} of version directory {@code dir}, if that version is kept and has it; else null. Only
     * names listed in a version resolve, so no request reaches outside the versions.
     */
    synchronized Stored file(String dir, String name) {
        for (Version v : versions) {
            if (v.dir().equals(dir)) {
                for (WeightAnnouncement.File f : v.files()) {
                    if (f.name().equals(name)) {
                        return new Stored(root.resolve(dir).resolve(name), f);
                    }
                }
            }
        }
        return null;
    }

    /** Deletes the versions written, and the root if this publisher made it. */
    @Override
    public synchronized void close() {
        try {
            for (Version v : versions) {
                FileTrees.deleteRecursively(root.resolve(v.dir()));
            }
            versions.clear();
            if (ownsRoot) {
                FileTrees.deleteRecursively(root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the published weights in " + root, e);
        }
    }

}
