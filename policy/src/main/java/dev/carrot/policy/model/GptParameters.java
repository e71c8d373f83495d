package dev.carrot.policy.model;

import dev.carrot.policy.tensor.Matrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Every tensor of a GPT policy, as views into one flat buffer so that optimizers and gradient norms run over a
 * single array (as in llm.c). Names and layouts are those of GPT-2's {@code model.safetensors}: linear weights are
 * {@code [in, out]} (y = x·W + b), embeddings {@code [rows, C]}, vectors {@code [n]}. The value head adds
 * {@code value_head.weight [C]} and {@code value_head.bias [1]}. The same class holds gradients.
 */
public final class GptParameters {

    /** Prefix of the tensors saved apart from the policy (PPO's critic). */
    public static final String VALUE_HEAD_PREFIX = "value_head.";

    /** One named tensor: its shape as stored and its place in the flat buffer. */
    public record Spec(String name, long[] shape, long offset, boolean decayed) {

        public int rows() {
            return shape.length == 2 ? (int) shape[0] : 1;
        }

        public int cols() {
            return (int) shape[shape.length - 1];
        }

        public long size() {
            return (long) rows() * cols();
        }

        public boolean valueHead() {
            return name.startsWith(VALUE_HEAD_PREFIX);
        }
    }

    /** The tensors of one Transformer block. */
    public record Block(Matrix ln1Weight, Matrix ln1Bias, Matrix attnWeight, Matrix attnBias, Matrix attnProjWeight,
            Matrix attnProjBias, Matrix ln2Weight, Matrix ln2Bias, Matrix fcWeight, Matrix fcBias,
            Matrix fcProjWeight, Matrix fcProjBias) {}

    private final GptConfig config;
    private final List<Spec> specs;
    private final Matrix flat;
    private final Map<String, Matrix> byName;
    private final Block[] blocks;

    private GptParameters(GptConfig config) {
        this.config = config;
        this.specs = Collections.unmodifiableList(layout(config));
        Spec last = specs.get(specs.size() - 1);
        this.flat = Matrix.zeros(1, Math.toIntExact(last.offset() + last.size()));
        Map<String, Matrix> views = new LinkedHashMap<>();
        for (Spec spec : specs) {
            views.put(spec.name(), Matrix.view(flat, spec.offset(), spec.rows(), spec.cols()));
        }
        this.byName = Collections.unmodifiableMap(views);
        this.blocks = new Block[config.nLayers()];
        for (int l = 0; l < blocks.length; l++) {
            String p = "h." + l + ".";
            blocks[l] = new Block(get(p + "ln_1.weight"), get(p + "ln_1.bias"), get(p + "attn.c_attn.weight"),
                    get(p + "attn.c_attn.bias"), get(p + "attn.c_proj.weight"), get(p + "attn.c_proj.bias"),
                    get(p + "ln_2.weight"), get(p + "ln_2.bias"), get(p + "mlp.c_fc.weight"), get(p + "mlp.c_fc.bias"),
                    get(p + "mlp.c_proj.weight"), get(p + "mlp.c_proj.bias"));
        }
    }

    /** All tensors zero: the starting point of gradients, or of weights about to be loaded. */
    public static GptParameters zeros(GptConfig config) {
        return new GptParameters(config);
    }

    /**
     * GPT-2's initialisation: N(0, 0.02) for matrices, residual projections scaled by 1/√(2L) so the residual
     * stream's variance does not grow with depth, LayerNorm gains 1, biases 0.
     */
    public static GptParameters initialized(GptConfig config, long seed) {
        GptParameters p = new GptParameters(config);
        SplittableRandom random = new SplittableRandom(seed);
        double projectionStd = 0.02 / Math.sqrt(2.0 * config.nLayers());
        for (Spec spec : p.specs) {
            Matrix m = p.get(spec.name());
            String name = spec.name();
            if (name.contains(".ln_") || name.startsWith("ln_f.")) {
                m.fill(name.endsWith(".weight") ? 1f : 0f);
            } else if (name.endsWith(".bias")) {
                m.fill(0f);
            } else {
                double std = name.endsWith("c_proj.weight") ? projectionStd : 0.02;
                float[] values = new float[Math.toIntExact(spec.size())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * std);
                }
                m.copyFrom(values);
            }
        }
        return p;
    }

    private static List<Spec> layout(GptConfig c) {
        List<Spec> specs = new ArrayList<>();
        long[] offset = {0};
        int C = c.dModel();
        java.util.function.BiConsumer<String, long[]> add = (name, shape) -> {
            boolean matrix = shape.length == 2;
            Spec spec = new Spec(name, shape, offset[0], matrix);
            specs.add(spec);
            offset[0] += spec.size();
        };
        add.accept("wte.weight", new long[] {c.vocabSize(), C});
        add.accept("wpe.weight", new long[] {c.contextLength(), C});
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "h." + l + ".";
            add.accept(p + "ln_1.weight", new long[] {C});
            add.accept(p + "ln_1.bias", new long[] {C});
            add.accept(p + "attn.c_attn.weight", new long[] {C, 3L * C});
            add.accept(p + "attn.c_attn.bias", new long[] {3L * C});
            add.accept(p + "attn.c_proj.weight", new long[] {C, C});
            add.accept(p + "attn.c_proj.bias", new long[] {C});
            add.accept(p + "ln_2.weight", new long[] {C});
            add.accept(p + "ln_2.bias", new long[] {C});
            add.accept(p + "mlp.c_fc.weight", new long[] {C, 4L * C});
            add.accept(p + "mlp.c_fc.bias", new long[] {4L * C});
            add.accept(p + "mlp.c_proj.weight", new long[] {4L * C, C});
            add.accept(p + "mlp.c_proj.bias", new long[] {C});
        }
        add.accept("ln_f.weight", new long[] {C});
        add.accept("ln_f.bias", new long[] {C});
        if (!c.tiedEmbeddings()) {
            add.accept("lm_head.weight", new long[] {c.vocabSize(), C});
        }
        if (c.valueHead()) {
            add.accept(VALUE_HEAD_PREFIX + "weight", new long[] {C});
            add.accept(VALUE_HEAD_PREFIX + "bias", new long[] {1});
        }
        return specs;
    }

    public GptConfig config() {
        return config;
    }

    public List<Spec> specs() {
        return specs;
    }

    /** The tensor called {@code name}; its rows and columns as in {@link Spec#rows()} and {@link Spec#cols()}. */
    public Matrix get(String name) {
        Matrix m = byName.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "' in this model (it has "
                    + byName.keySet() + ")");
        }
        return m;
    }

    /** All tensors as one {@code [1, count]} matrix. */
    public Matrix flat() {
        return flat;
    }

    public long count() {
        return flat.size();
    }

    public Block block(int layer) {
        return blocks[layer];
    }

    public Matrix wte() {
        return get("wte.weight");
    }

    public Matrix wpe() {
        return get("wpe.weight");
    }

    public Matrix lnfWeight() {
        return get("ln_f.weight");
    }

    public Matrix lnfBias() {
        return get("ln_f.bias");
    }

    /** The LM head as [V, C]: logits = x · headᵀ. The token embedding itself when tied. */
    public Matrix lmHead() {
        return config.tiedEmbeddings() ? wte() : get("lm_head.weight");
    }

    public Matrix valueWeight() {
        return get(VALUE_HEAD_PREFIX + "weight");
    }

    public Matrix valueBias() {
        return get(VALUE_HEAD_PREFIX + "bias");
    }

    public void zero() {
        flat.fill(0f);
    }

    /** An independent copy, e.g. the frozen reference policy of RL fine-tuning. */
    public GptParameters copy() {
        GptParameters copy = new GptParameters(config);
        copy.copyFrom(this);
        return copy;
    }

    /**
     * A copy that also carries a value head (PPO's critic), initialised to zero so that the first value estimates
     * are 0 and the policy's outputs are unchanged; the copy of a model that has one keeps it.
     */
    public GptParameters withValueHead() {
        if (config.valueHead()) {
            return copy();
        }
        GptParameters copy = new GptParameters(config.withValueHead(true));
        for (Spec spec : specs) {
            copy.get(spec.name()).copyFrom(get(spec.name()));
        }
        return copy;
    }

    public void copyFrom(GptParameters other) {
        if (!other.config.equals(config)) {
            throw new IllegalArgumentException("cannot copy parameters of " + other.config + " into " + config);
        }
        flat.copyFrom(other.flat);
    }
}
