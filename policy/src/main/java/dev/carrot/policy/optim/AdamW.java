package dev.carrot.policy.optim;

import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tensor.Parallel;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), over the flat parameter buffer. Its state (both moment
 * estimates and the step count) is exposed for checkpoints.
 */
public final class AdamW {

    /** Elements a thread updates per copy into heap arrays: four of them stay in a core's L2 cache. */
    private static final int CHUNK = 1 << 13;

    private final AdamWConfig config;
    private final GptParameters parameters;
    private final GptParameters firstMoment;
    private final GptParameters secondMoment;
    /** Exclusive end offset in the flat buffer of each tensor, in layout order, and whether it is weight-decayed. */
    private final long[] ends;
    private final boolean[] decayed;
    private long steps;

    public AdamW(GptParameters parameters, AdamWConfig config) {
        this.config = config;
        this.parameters = parameters;
        this.firstMoment = GptParameters.zeros(parameters.config());
        this.secondMoment = GptParameters.zeros(parameters.config());
        List<GptParameters.Spec> specs = parameters.specs();
        this.ends = new long[specs.size()];
        this.decayed = new boolean[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            ends[i] = specs.get(i).offset() + specs.get(i).size();
            decayed[i] = specs.get(i).decayed();
        }
    }

    /** Applies one update with learning rate {@code lr} from {@code gradients} (same layout as the parameters). */
    public void step(GptParameters gradients, double lr) {
        steps++;
        double correction1 = 1 - Math.pow(config.beta1(), steps);
        double correction2 = 1 - Math.pow(config.beta2(), steps);
        Update update = new Update((float) config.beta1(), (float) config.beta2(), (float) config.epsilon(),
                (float) (lr / correction1), (float) Math.sqrt(correction2), (float) (1 - lr * config.weightDecay()));
        FloatBuffer w = parameters.flat().floats();
        FloatBuffer g = gradients.flat().floats();
        FloatBuffer m = firstMoment.flat().floats();
        FloatBuffer v = secondMoment.flat().floats();
        int count = Math.toIntExact(parameters.count());
        // Chunks are copied to heap arrays, where C2 vectorises the update (it does not over direct buffers); the
        // update is elementwise, so neither the chunking nor the split across threads changes a bit of the result.
        Parallel.forEachRange((count + CHUNK - 1) / CHUNK, CHUNK, Parallel.MIN_ELEMENTS_PER_RANGE, (range, from, to) -> {
            float[] wc = new float[CHUNK];
            float[] gc = new float[CHUNK];
            float[] mc = new float[CHUNK];
            float[] vc = new float[CHUNK];
            for (int chunk = from; chunk < to; chunk++) {
                int start = chunk * CHUNK;
                int length = Math.min(CHUNK, count - start);
                w.get(start, wc, 0, length);
                g.get(start, gc, 0, length);
                m.get(start, mc, 0, length);
                v.get(start, vc, 0, length);
                // A chunk may straddle tensors, and only matrices are decayed: one pass per tensor it touches.
                int spec = specAt(start);
                for (int at = 0; at < length; spec++) {
                    int end = (int) Math.min(length, ends[spec] - start);
                    update.apply(wc, gc, mc, vc, at, end, decayed[spec]);
                    at = end;
                }
                w.put(start, wc, 0, length);
                m.put(start, mc, 0, length);
                v.put(start, vc, 0, length);
            }
        });
    }

    /** The index of the tensor holding flat element {@code index}. */
    private int specAt(int index) {
        int found = Arrays.binarySearch(ends, index);
        // An exact hit is the end of a tensor, so the element is the next tensor's first.
        return found >= 0 ? found + 1 : -found - 1;
    }

    /** One step's constants: {@code w ← w·decay − stepSize · m / (√v / rootCorrection2 + ε)}. */
    private record Update(float beta1, float beta2, float epsilon, float stepSize, float rootCorrection2,
            float decay) {

        void apply(float[] w, float[] g, float[] m, float[] v, int from, int to, boolean decayed) {
            float b1 = beta1;
            float b2 = beta2;
            float scale = decayed ? decay : 1f;
            for (int i = from; i < to; i++) {
                float gi = g[i];
                float mi = b1 * m[i] + (1 - b1) * gi;
                float vi = b2 * v[i] + (1 - b2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                w[i] = w[i] * scale - stepSize * mi / ((float) Math.sqrt(vi) / rootCorrection2 + epsilon);
            }
        }
    }

    public AdamWConfig config() {
        return config;
    }

    public long steps() {
        return steps;
    }

    public GptParameters firstMoment() {
        return firstMoment;
    }

    public GptParameters secondMoment() {
        return secondMoment;
    }

    /** Restores a checkpointed state; the moments are copied in. */
    public void restore(GptParameters first, GptParameters second, long steps) {
        firstMoment.copyFrom(first);
        secondMoment.copyFrom(second);
        this.steps = steps;
    }
}
