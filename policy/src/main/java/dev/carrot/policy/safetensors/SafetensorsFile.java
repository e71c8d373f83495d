package dev.carrot.policy.safetensors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file, read and fully validated.
 *
 * <p>The format: an unsigned 64-bit little-endian length {@code N}, then {@code N} bytes of UTF-8 JSON mapping each
 * tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (plus an optional {@code "__metadata__"}
 * object of string values), then the data buffer; offsets are relative to the buffer's start.
 *
 * <p>{@link #read} checks everything the reference implementation checks, and reports each problem naming the file
 * and the tensor: the header must fit in the file, be valid JSON, use known dtypes, and give each tensor exactly
 * {@code elements × dtype size} bytes; the tensors' byte ranges must tile the data buffer, without gap or overlap, up
 * to the end of the file. Tensor data is memory-mapped, not copied; the mapping stays valid after {@code read} returns
 * and is released when the tensors are garbage collected.
 */
public final class SafetensorsFile {

    /** The header key that holds string metadata rather than a tensor. */
    public static final String METADATA_KEY = "__metadata__";
    /** The reference implementation refuses larger headers; so do we, rather than allocate what corrupt lengths ask. */
    public static final long MAX_HEADER_BYTES = 100_000_000;

    private static final int NAMES_IN_ERRORS = 10;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path path;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.path = path;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws SafetensorsException if the file is not a valid safetensors file
     * @throws IOException          if it cannot be read
     */
    public static SafetensorsFile read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            long headerSize = headerSize(file, channel, fileSize);
            JsonNode header = parseHeader(file, readFully(channel, 8, (int) headerSize));

            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals(METADATA_KEY)) {
                    readMetadata(file, field.getValue(), metadata);
                } else {
                    entries.add(Entry.parse(file, field.getKey(), field.getValue()));
                }
            }

            long dataStart = 8 + headerSize;
            checkLayout(file, entries, fileSize - dataStart);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry entry : entries) {
                long length = entry.end - entry.begin;
                if (length > Integer.MAX_VALUE) {
                    throw new SafetensorsException(file, "tensor '" + entry.name + "' is " + length
                            + " bytes, more than one Java buffer can map (2 GiB)");
                }
                ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin, length);
                tensors.put(entry.name, new Tensor(entry.name, entry.dtype, entry.shape, data));
            }
            return new SafetensorsFile(file, tensors, metadata);
        }
    }

    private static long headerSize(Path file, FileChannel channel, long fileSize) throws IOException {
        if (fileSize < 8) {
            throw new SafetensorsException(file, "file is " + fileSize
                    + " bytes, too short for the 8-byte header length (truncated?)");
        }
        long headerSize = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // As an unsigned number, a negative long is beyond any limit.
        if (headerSize < 0 || headerSize > MAX_HEADER_BYTES) {
            throw new SafetensorsException(file, "header length " + Long.toUnsignedString(headerSize)
                    + " exceeds the " + MAX_HEADER_BYTES + "-byte limit (corrupt length prefix?)");
        }
        if (headerSize > fileSize - 8) {
            throw new SafetensorsException(file, "header length " + headerSize + " exceeds the " + (fileSize - 8)
                    + " bytes after the length prefix (file size " + fileSize + "; truncated or corrupt length?)");
        }
        return headerSize;
    }

    private static JsonNode parseHeader(Path file, ByteBuffer bytes) throws SafetensorsException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(file, "header is not valid UTF-8", e);
        }
        if (!text.startsWith("{")) {
            throw new SafetensorsException(file, "header does not start with '{' (not a safetensors file?)");
        }
        JsonNode header;
        try {
            header = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at column " + at.getColumnNr();
            throw new SafetensorsException(file, "header is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        if (!header.isObject()) {
            throw new SafetensorsException(file, "header is not a JSON object");
        }
        return header;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> metadata)
            throws SafetensorsException {
        if (!node.isObject()) {
            throw new SafetensorsException(file, METADATA_KEY + " must be an object of strings, got " + node);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw new SafetensorsException(file, METADATA_KEY + "." + field.getKey()
                        + " must be a string, got " + field.getValue());
            }
            metadata.put(field.getKey(), field.getValue().asText());
        }
    }

    /**
     * Checks that the tensors' byte ranges, sorted by offset, tile the data buffer exactly, and leaves
     * {@code entries} in that order. A gap is refused as the reference implementation refuses it: no writer produces
     * one, so it means a corrupt header.
     */
    private static void checkLayout(Path file, List<Entry> entries, long bufferSize) throws SafetensorsException {
        entries.sort(Comparator.<Entry>comparingLong(e -> e.begin).thenComparingLong(e -> e.end));
        long expectedBegin = 0;
        Entry previous = null;
        for (Entry entry : entries) {
            if (entry.end > bufferSize) {
                throw new SafetensorsException(file, "tensor '" + entry.name + "': data_offsets " + entry.offsets()
                        + " run past the end of the " + bufferSize + "-byte data buffer (truncated file?)");
            }
            if (entry.begin < expectedBegin) {
                throw new SafetensorsException(file, "tensor '" + entry.name + "': data_offsets " + entry.offsets()
                        + " overlap tensor '" + previous.name + "' at " + previous.offsets());
            }
            if (entry.begin > expectedBegin) {
                throw new SafetensorsException(file, "tensor '" + entry.name + "': data_offsets " + entry.offsets()
                        + " leave bytes " + expectedBegin + ".." + entry.begin + " unused; tensors must be contiguous");
            }
            expectedBegin = entry.end;
            previous = entry;
        }
        if (expectedBegin != bufferSize) {
            throw new SafetensorsException(file, "the data buffer is " + bufferSize + " bytes but the tensors cover "
                    + expectedBegin + "; " + (bufferSize - expectedBegin) + " trailing bytes belong to no tensor");
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    /** One tensor's header entry, validated on its own. */
    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {

        static Entry parse(Path file, String name, JsonNode node) throws SafetensorsException {
            String where = "tensor '" + name + "': ";
            if (!node.isObject()) {
                throw new SafetensorsException(file, where + "expected {\"dtype\", \"shape\", \"data_offsets\"}, got "
                        + node);
            }
            JsonNode dtypeNode = node.path("dtype");
            if (!dtypeNode.isTextual()) {
                throw new SafetensorsException(file, where + "dtype must be a string, got " + dtypeNode);
            }
            DType dtype = Arrays.stream(DType.values())
                    .filter(d -> d.name().equals(dtypeNode.asText()))
                    .findFirst()
                    .orElseThrow(() -> new SafetensorsException(file, where + "unsupported dtype \""
                            + dtypeNode.asText() + "\"; supported: " + Arrays.toString(DType.values())));
            long[] shape = naturals(file, where, "shape", node.path("shape"));
            long[] offsets = naturals(file, where, "data_offsets", node.path("data_offsets"));
            if (offsets.length != 2 || offsets[0] > offsets[1]) {
                throw new SafetensorsException(file, where + "data_offsets must be [begin, end] with begin <= end, got "
                        + Arrays.toString(offsets));
            }
            long bytes;
            try {
                long elements = 1;
                for (long dimension : shape) {
                    elements = Math.multiplyExact(elements, dimension);
                }
                bytes = Math.multiplyExact(elements, dtype.byteSize());
            } catch (ArithmeticException e) {
                throw new SafetensorsException(file, where + "shape " + Arrays.toString(shape) + " overflows");
            }
            if (offsets[1] - offsets[0] != bytes) {
                throw new SafetensorsException(file, where + "data_offsets " + Arrays.toString(offsets) + " span "
                        + (offsets[1] - offsets[0]) + " bytes but " + dtype + " shape " + Arrays.toString(shape)
                        + " needs " + bytes);
            }
            return new Entry(name, dtype, shape, offsets[0], offsets[1]);
        }

        private static long[] naturals(Path file, String where, String field, JsonNode node)
                throws SafetensorsException {
            if (!node.isArray()) {
                throw new SafetensorsException(file, where + field + " must be an array of non-negative integers, got "
                        + node);
            }
            long[] values = new long[node.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode value = node.get(i);
                if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                    throw new SafetensorsException(file, where + field + " must be an array of non-negative integers,"
                            + " got " + node);
                }
                values[i] = value.longValue();
            }
            return values;
        }

        String offsets() {
            return "[" + begin + ", " + end + "]";
        }
    }

    public Path path() {
        return path;
    }

    /** The tensor names, in the order of their data in the file. */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    /** The tensors, in the order of their data in the file. */
    public Collection<Tensor> tensors() {
        return tensors.values();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws SafetensorsException if the file has no such tensor
     */
    public Tensor tensor(String name) throws SafetensorsException {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            List<String> some = names().subList(0, Math.min(tensors.size(), NAMES_IN_ERRORS));
            throw new SafetensorsException(path, "no tensor named '" + name + "'; the file has " + tensors.size()
                    + " tensors: " + String.join(", ", some) + (tensors.size() > some.size() ? ", ..." : ""));
        }
        return tensor;
    }

    /** The {@value #METADATA_KEY} entries, empty if the file has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }
}
