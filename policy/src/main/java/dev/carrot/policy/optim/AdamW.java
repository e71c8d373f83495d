package dev.carrot.policy.optim;

import dev.carrot.policy.model.GptParameters;
import java.nio.FloatBuffer;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), over the flat parameter buffer. Its state (both moment
 * estimates and the step count) is exposed for checkpoints.
 */
public final class AdamW {

    private final AdamWConfig config;
    private final GptParameters parameters;
    private final GptParameters firstMoment;
    private final GptParameters secondMoment;
    private long steps;

    public AdamW(GptParameters parameters, AdamWConfig config) {
        this.config = config;
        this.parameters = parameters;
        this.firstMoment = GptParameters.zeros(parameters.config());
        this.secondMoment = GptParameters.zeros(parameters.config());
    }

    /** Applies one update with learning rate {@code lr} from {@code gradients} (same layout as the parameters). */
    public void step(GptParameters gradients, double lr) {
        steps++;
        double correction1 = 1 - Math.pow(config.beta1(), steps);
        double correction2 = 1 - Math.pow(config.beta2(), steps);
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float eps = (float) config.epsilon();
        FloatBuffer w = parameters.flat().floats();
        FloatBuffer g = gradients.flat().floats();
        FloatBuffer m = firstMoment.flat().floats();
        FloatBuffer v = secondMoment.flat().floats();
        float stepSize = (float) (lr / correction1);
        float rootCorrection2 = (float) Math.sqrt(correction2);
        for (GptParameters.Spec spec : parameters.specs()) {
            float decay = spec.decayed() ? (float) (1 - lr * config.weightDecay()) : 1f;
            int start = Math.toIntExact(spec.offset());
            int end = Math.toIntExact(spec.offset() + spec.size());
            for (int i = start; i < end; i++) {
                float gi = g.get(i);
                float mi = b1 * m.get(i) + (1 - b1) * gi;
                float vi = b2 * v.get(i) + (1 - b2) * gi * gi;
                m.put(i, mi);
                v.put(i, vi);
                w.put(i, w.get(i) * decay - stepSize * mi / ((float) Math.sqrt(vi) / rootCorrection2 + eps));
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
