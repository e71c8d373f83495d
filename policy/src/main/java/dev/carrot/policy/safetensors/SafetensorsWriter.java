package dev.carrot.policy.safetensors;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.common.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes safetensors files, byte for byte as the reference implementation does for the same tensors.
 *
 * <p>Layout: tensors are ordered by descending dtype alignment (I64, F32, I32, BF16, F16), then by name, which keeps
 * every tensor aligned to its element size; the JSON header is compact, lists {@value SafetensorsFile#METADATA_KEY}
 * first (keys sorted, omitted when empty), then the tensors in that order, and is padded with spaces to a multiple of
 * 8 bytes so that the data buffer starts 8-byte aligned.
 *
 * <p>Files are written atomically (see {@link AtomicFiles}): a reader never sees a partial checkpoint.
 */
public final class SafetensorsWriter {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final Comparator<Tensor> FILE_ORDER = Comparator
            .comparing(Tensor::dtype, Comparator.reverseOrder())
            .thenComparing(Tensor::name);

    private SafetensorsWriter() {}

    /** Writes {@code tensors} without metadata. */
    public static void write(Path file, Collection<Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} and {@code metadata} to {@code file}, replacing it atomically.
     *
     * @throws IllegalArgumentException if two tensors share a name
     */
    public static void write(Path file, Collection<Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Tensor> ordered = tensors.stream().sorted(FILE_ORDER).toList();
        Set<String> names = new HashSet<>();
        for (Tensor tensor : ordered) {
            if (!names.add(tensor.name())) {
                throw new IllegalArgumentException("two tensors are named '" + tensor.name() + "'");
            }
        }
        ByteBuffer header = header(ordered, metadata);
        AtomicFiles.write(file, channel -> {
            AtomicFiles.writeFully(channel, header);
            for (Tensor tensor : ordered) {
                AtomicFiles.writeFully(channel, tensor.data());
            }
        });
    }

    /** The length prefix and the padded JSON header. */
    private static ByteBuffer header(List<Tensor> ordered, Map<String, String> metadata) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode entries = root.putObject(SafetensorsFile.METADATA_KEY);
            new TreeMap<>(metadata).forEach(entries::put);
        }
        long offset = 0;
        for (Tensor tensor : ordered) {
            long end = offset + tensor.data().remaining();
            ObjectNode entry = root.putObject(tensor.name()).put("dtype", tensor.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(tensor.shape()).forEach(shape::add);
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer header = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(padded).put(json);
        while (header.hasRemaining()) {
            header.put((byte) ' ');
        }
        return header.flip();
    }
}
