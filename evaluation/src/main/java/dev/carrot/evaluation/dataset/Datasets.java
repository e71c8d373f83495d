package dev.carrot.evaluation.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Loads evaluation datasets from files, choosing the format by extension. */
public final class Datasets {

    private Datasets() {}

    /**
     * Reads a SimpleQA-style {@code .csv} or a {@code .jsonl} file.
     *
     * @throws DatasetFormatException listing every bad row with its line number
     */
    public static Dataset load(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + file, e);
        }
        if (name.endsWith(".csv")) {
            return SimpleQaCsvReader.read(file, text);
        }
        if (name.endsWith(".jsonl")) {
            return JsonlDatasetReader.read(file, text);
        }
        throw new IllegalArgumentException(file + ": expected a .csv (SimpleQA columns metadata,problem,answer) or a "
                + ".jsonl file (one {\"question\", \"answer\", \"aliases\"?, \"tier\"?} object a line)");
    }
}
