package dev.carrot.policy.checkpoint;

import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.optim.AdamW;
import dev.carrot.policy.safetensors.SafetensorsFile;
import dev.carrot.policy.safetensors.SafetensorsWriter;
import dev.carrot.policy.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * AdamW's state as one safetensors file: {@code exp_avg.<name>} and {@code exp_avg_sq.<name>} per parameter (the
 * names PyTorch's Adam uses for its moments) and the step count in the metadata.
 */
public final class OptimizerCheckpoint {

    public static final String FILE = "optimizer.safetensors";

    private OptimizerCheckpoint() {}

    public static void save(AdamW optimizer, Path file) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        for (GptParameters.Spec spec : optimizer.firstMoment().specs()) {
            tensors.add(Tensor.ofFloats("exp_avg." + spec.name(), spec.shape(),
                    optimizer.firstMoment().get(spec.name()).toArray()));
            tensors.add(Tensor.ofFloats("exp_avg_sq." + spec.name(), spec.shape(),
                    optimizer.secondMoment().get(spec.name()).toArray()));
        }
        SafetensorsWriter.write(file, tensors, Map.of("step", Long.toString(optimizer.steps()), "optimizer", "adamw"));
    }

    /** Restores {@code optimizer}'s state from {@code file}, which must match its parameters exactly. */
    public static void load(AdamW optimizer, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "missing");
        }
        SafetensorsFile stored = SafetensorsFile.read(file);
        GptParameters first = GptParameters.zeros(optimizer.firstMoment().config());
        GptParameters second = GptParameters.zeros(optimizer.firstMoment().config());
        for (GptParameters.Spec spec : first.specs()) {
            for (String prefix : List.of("exp_avg.", "exp_avg_sq.")) {
                String name = prefix + spec.name();
                if (!stored.contains(name)) {
                    throw new CheckpointException(file, "tensor '" + name + "' is missing");
                }
                Tensor t = stored.tensor(name);
                if (!Arrays.equals(t.shape(), spec.shape())) {
                    throw new CheckpointException(file, "tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                            + ", expected " + Arrays.toString(spec.shape()));
                }
                (prefix.equals("exp_avg.") ? first : second).get(spec.name()).copyFrom(t.toFloats());
            }
        }
        String step = stored.metadata().get("step");
        long steps;
        try {
            steps = Long.parseLong(step);
        } catch (NumberFormatException | NullPointerException e) {
            throw new CheckpointException(file, "metadata 'step': expected an integer, got " + step);
        }
        optimizer.restore(first, second, steps);
    }
}
