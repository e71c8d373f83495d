package dev.carrot.rewards.analysis;

/** A range of probabilities, each end open or closed, written as in mathematics: {@code [0, 0.8)}. */
public record Interval(double low, boolean lowClosed, double high, boolean highClosed) {

    public Interval {
        if (!(low <= high)) {
            throw new IllegalArgumentException("interval ends out of order: " + low + " > " + high);
        }
    }

    public boolean contains(double p) {
        return (lowClosed ? p >= low : p > low) && (highClosed ? p <= high : p < high);
    }

    @Override
    public String toString() {
        return (lowClosed ? "[" : "(") + Numbers.format(low) + ", " + Numbers.format(high) + (highClosed ? "]" : ")");
    }
}
