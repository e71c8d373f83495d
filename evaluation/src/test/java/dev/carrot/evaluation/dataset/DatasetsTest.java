package dev.carrot.evaluation.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {

    @TempDir
    Path folder;

    @Test
    void readsSimpleQaCsvWithQuotedFieldsAndKeepsMetadataRaw() throws IOException {
        String metadata = "{'topic': 'Science and technology', 'answer_type': 'Person', 'urls': ['https://a', 'https://b']}";
        Path file = write("simple_qa_test_set.csv", "\uFEFFmetadata,problem,answer\r\n"
                + "\"" + metadata + "\",Who received the IEEE Frank Rosenblatt Award in 2010?,Michio Sugeno\r\n"
                + "\"{'topic': 'Art'}\",\"Which painter said \"\"less, but better\"\"?\",\"Dieter\nRams\"\r\n"
                + "\r\n"
                + "\"{}\",What is 2 + 2?,4\n");
        Dataset dataset = Datasets.load(file);
        assertEquals(3, dataset.items().size());
        EvalItem first = dataset.items().get(0);
        assertEquals(new EvalItem("line-2", "Who received the IEEE Frank Rosenblatt Award in 2010?", "Michio Sugeno",
                List.of(), EvalItem.UNKNOWN_TIER, Map.of("metadata", metadata)), first);
        EvalItem second = dataset.items().get(1);
        assertEquals("Which painter said \"less, but better\"?", second.question());
        assertEquals("Dieter\nRams", second.answer());
        // The third record starts after a two-line record and a blank line.
        assertEquals("line-6", dataset.items().get(2).id());
        assertEquals(file.toString(), dataset.name());
    }

    @Test
    void csvTierAndIdColumnsAreHonoured() throws IOException {
        Path file = write("d.csv", "id,tier,problem,answer,source\nq1,rare,What?,That,book\n");
        EvalItem item = Datasets.load(file).items().get(0);
        assertEquals(new EvalItem("q1", "What?", "That", List.of(), "rare", Map.of("source", "book")), item);
    }

    @Test
    void badCsvRowsAreAllReportedWithTheirLineNumbers() throws IOException {
        Path file = write("bad.csv", "metadata,problem,answer\n"
                + "{},Fine question?,Fine\n"
                + "{},Too few fields?\n"
                + "{},Empty answer?,\n"
                + "\"{}\"x,Junk after quote?,A\n"
                + "{},Fine again?,B\n"
                + "\"{},Never closed?,C\n");
        DatasetFormatException error = assertThrows(DatasetFormatException.class, () -> Datasets.load(file));
        assertEquals(List.of(
                new DatasetFormatException.Problem(3, "expected 3 fields, got 2"),
                new DatasetFormatException.Problem(4, "empty answer"),
                new DatasetFormatException.Problem(5, "text after a closing quote (expected a comma or the end of the line)"),
                new DatasetFormatException.Problem(7, "unterminated quoted field")),
                error.problems());
        assertTrue(error.getMessage().contains(file + ":3: expected 3 fields, got 2"), error.getMessage());
    }

    @Test
    void csvWithoutTheRequiredColumnsIsRejected() throws IOException {
        Path file = write("cols.csv", "question,answer\nWhat?,That\n");
        DatasetFormatException error = assertThrows(DatasetFormatException.class, () -> Datasets.load(file));
        assertEquals(List.of(new DatasetFormatException.Problem(1,
                "the header [question, answer] lacks the columns [problem]")), error.problems());
    }

    @Test
    void readsJsonlWithOptionalFieldsAndKeepsTheRestAsMetadata() throws IOException {
        Path file = write("d.jsonl", """
                {"question": "What is the capital of Varnelia?", "answer": "Tolmar", "aliases": ["Tolmar City"], "tier": "well_known", "id": "c1", "family": "fact"}

                {"question": "What is 12 + 30?", "answer": 42, "extra": {"k": [1]}}
                """);
        Dataset dataset = Datasets.load(file);
        assertEquals(new EvalItem("c1", "What is the capital of Varnelia?", "Tolmar", List.of("Tolmar City"),
                "well_known", Map.of("family", "fact")), dataset.items().get(0));
        assertEquals(new EvalItem("line-3", "What is 12 + 30?", "42", List.of(), EvalItem.UNKNOWN_TIER,
                Map.of("extra", "{\"k\":[1]}")), dataset.items().get(1));
        assertEquals(List.of("42"), dataset.items().get(1).references());
        assertEquals(List.of("Tolmar", "Tolmar City"), dataset.items().get(0).references());
    }

    @Test
    void badJsonlRowsAreAllReportedWithTheirLineNumbers() throws IOException {
        Path file = write("bad.jsonl", """
                {"question": "Fine?", "answer": "Yes", "id": "a"}
                {"question": "Broken?", "answer":
                ["not", "an", "object"]
                {"answer": "No question"}
                {"question": "Aliases?", "answer": "A", "aliases": "B"}
                {"question": "Duplicate?", "answer": "A", "id": "a"}
                {"question": "  ", "answer": "A"}
                """);
        DatasetFormatException error = assertThrows(DatasetFormatException.class, () -> Datasets.load(file));
        List<Integer> lines = error.problems().stream().map(DatasetFormatException.Problem::line).toList();
        assertEquals(List.of(2, 3, 4, 5, 6, 7), lines);
        assertTrue(error.problems().get(0).message().startsWith("not valid JSON"), error.problems().get(0).message());
        assertEquals("expected a JSON object, got array", error.problems().get(1).message());
        assertEquals("missing field 'question'", error.problems().get(2).message());
        assertEquals("aliases: expected an array of strings", error.problems().get(3).message());
        assertEquals("duplicate id 'a'", error.problems().get(4).message());
        assertEquals("question: expected non-empty text", error.problems().get(5).message());
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = write("empty.jsonl", "\n\n");
        DatasetFormatException error = assertThrows(DatasetFormatException.class, () -> Datasets.load(file));
        assertEquals(List.of(new DatasetFormatException.Problem(1, "no items")), error.problems());
    }

    @Test
    void unknownExtensionIsRejected() throws IOException {
        Path file = write("d.tsv", "a\tb\n");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Datasets.load(file));
        assertTrue(error.getMessage().startsWith(file + ": expected a .csv"), error.getMessage());
    }

    private Path write(String name, String text) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
