package dev.carrot.policy.optim;

import dev.carrot.policy.model.GptParameters;
import java.nio.FloatBuffer;

/** Global-norm gradient clipping, as in {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {

    private GradientClipping() {}

    /** The L2 norm of all gradients together. */
    public static double globalNorm(GptParameters gradients) {
        FloatBuffer g = gradients.flat().floats();
        int size = Math.toIntExact(gradients.count());
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double x = g.get(i);
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales all gradients by {@code maxNorm / norm} when their global norm exceeds {@code maxNorm}.
     *
     * @return the norm before clipping, the figure training logs report
     */
    public static double clip(GptParameters gradients, double maxNorm) {
        double norm = globalNorm(gradients);
        if (norm > maxNorm && norm > 0) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            FloatBuffer g = gradients.flat().floats();
            int size = Math.toIntExact(gradients.count());
            for (int i = 0; i < size; i++) {
                g.put(i, g.get(i) * scale);
            }
        }
        return norm;
    }
}
