package dev.carrot.policy.model;

/**
 * Next-token cross-entropy averaged over the positions a mask selects (padding and prompt tokens get 0), and its
 * gradient with respect to the per-token log-probabilities that {@link Gpt#forward} returns.
 */
public final class MaskedCrossEntropy {

    /** @param loss mean −log p over masked positions; @param dLogprobs ∂loss/∂logprobs [N] */
    public record Result(double loss, float[] dLogprobs, double tokens) {}

    private MaskedCrossEntropy() {}

    /** @param mask [N] weights, typically 0 or 1; null counts every position */
    public static Result of(float[] logprobs, float[] mask) {
        if (mask != null && mask.length != logprobs.length) {
            throw new IllegalArgumentException("mask has " + mask.length + " entries for " + logprobs.length
                    + " positions");
        }
        double count = 0;
        double sum = 0;
        for (int n = 0; n < logprobs.length; n++) {
            double m = mask == null ? 1 : mask[n];
            count += m;
            sum -= m * logprobs[n];
        }
        float[] grad = new float[logprobs.length];
        if (count == 0) {
            return new Result(0, grad, 0);
        }
        for (int n = 0; n < logprobs.length; n++) {
            grad[n] = (float) (-(mask == null ? 1 : mask[n]) / count);
        }
        return new Result(sum / count, grad, count);
    }
}
