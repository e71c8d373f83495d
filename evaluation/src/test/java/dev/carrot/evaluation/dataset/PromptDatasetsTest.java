package dev.carrot.evaluation.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.common.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptDatasetsTest {

    @TempDir
    Path dir;

    @Test
    void csvRecordsKeepTheirExtraColumnsAsTextMetadata() throws Exception {
        Path file = dir.resolve("p.csv");
        Files.writeString(file, "\uFEFFid,question,answers,topic\nm1,\"What is 1 + 1, in digits?\",\"[\"\"2\"\", \"\"two\"\"]\",sum\n");
        List<PromptRecord> records = PromptDatasets.read(file);
        assertEquals(List.of(new PromptRecord("m1", "What is 1 + 1, in digits?", List.of("2", "two"),
                Map.of("topic", "sum"))), records);
    }

    @Test
    void anUnclosedQuoteIsReportedAtTheLineItsRecordStarts() throws Exception {
        Path file = dir.resolve("broken.csv");
        Files.writeString(file, "id,question,answer\nx1,What?,1\nx2,,2\nx3,\"Unclosed,3\nx4,More?,4\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PromptDatasets.read(file));
        assertTrue(e.getMessage().contains("broken.csv:3: field 'question'")
                && e.getMessage().contains("broken.csv:4: unterminated quoted field"), e.getMessage());
    }

    @Test
    void readingGoesOnAfterAMalformedRecordSoThatEveryBadRowIsListed() throws Exception {
        Path file = dir.resolve("junk.csv");
        Files.writeString(file, "id,question,answer\nx1,\"What?\"junk,1\nx2,,2\n\nx3,Fine?,3\nx4,Also?\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PromptDatasets.read(file));
        assertTrue(e.getMessage().contains("junk.csv:2: text after a closing quote")
                && e.getMessage().contains("junk.csv:3: field 'question'")
                && e.getMessage().contains("junk.csv:6: expected 3 fields as in the header, got 2")
                && !e.getMessage().contains(":5:"), e.getMessage());
    }
}
