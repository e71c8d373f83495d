package dev.carrot.experiments.calibration.world;

/**
 * Exact proportional allocation. Drawing each element's bucket independently would only hit the configured
 * fractions on average; allocating by largest remainder hits them to within one element, every seed.
 */
final class Allocation {

    private Allocation() {}

    /** Parts of {@code total} proportional to {@code fractions} (summing to 1); the parts sum to {@code total}. */
    static int[] proportional(int total, double... fractions) {
        int[] parts = new int[fractions.length];
        double[] remainders = new double[fractions.length];
        int assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            double exact = total * fractions[i];
            parts[i] = (int) Math.floor(exact);
            remainders[i] = exact - parts[i];
            assigned += parts[i];
        }
        for (; assigned < total; assigned++) {
            int largest = 0;
            for (int i = 1; i < remainders.length; i++) {
                if (remainders[i] > remainders[largest]) {
                    largest = i;
                }
            }
            parts[largest]++;
            remainders[largest] = -1;
        }
        return parts;
    }

    /**
     * The smallest whole numbers in the ratio of {@code fractions} (0.5 / 0.25 / 0.25 gives 2 / 1 / 1), looking at
     * totals up to {@code maxTotal}; fractions with no such ratio get {@link #proportional} parts of {@code maxTotal}.
     */
    static int[] smallestWholeRatio(int maxTotal, double... fractions) {
        for (int total = 1; total < maxTotal; total++) {
            int[] parts = proportional(total, fractions);
            boolean exact = true;
            for (int i = 0; i < fractions.length; i++) {
                exact &= Math.abs(fractions[i] * total - parts[i]) < 1e-9;
            }
            if (exact) {
                return parts;
            }
        }
        return proportional(maxTotal, fractions);
    }
}
