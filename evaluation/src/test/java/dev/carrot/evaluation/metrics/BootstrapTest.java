package dev.carrot.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.rewards.grading.Style;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void sameSeedSameIntervals() {
        List<GradedItem> items = HandMadeItems.items();
        Bootstrap bootstrap = new Bootstrap(200, 0.95, 3);
        assertEquals(bootstrap.intervals(items, Bootstrap.HEADLINE), bootstrap.intervals(items, Bootstrap.HEADLINE));
    }

    @Test
    void intervalsBracketTheEstimate() {
        Map<OutcomeMetric, ConfidenceInterval> intervals = Bootstrap.standard().intervals(HandMadeItems.items(), Bootstrap.HEADLINE);
        assertEquals(Bootstrap.HEADLINE.size(), intervals.size());
        intervals.forEach((metric, interval) -> {
            assertTrue(interval.low() <= interval.estimate() && interval.estimate() <= interval.high(),
                    metric + ": " + interval);
            assertTrue(interval.low() < interval.high(), metric + " has spread: " + interval);
        });
        assertEquals(0.4, intervals.get(OutcomeMetric.HALLUCINATION_RATE).estimate(), 1e-12);
    }

    @Test
    void identicalItemsGiveADegenerateInterval() {
        List<GradedItem> items = Collections.nCopies(20, HandMadeItems.item(1, Style.ANSWERED, false, 0.5));
        ConfidenceInterval interval = Bootstrap.standard().intervals(items, List.of(OutcomeMetric.HALLUCINATION_RATE))
                .get(OutcomeMetric.HALLUCINATION_RATE);
        assertEquals(new ConfidenceInterval(1, 1, 1), interval);
    }

    @Test
    void intervalNarrowsWithMoreItems() {
        List<GradedItem> few = HandMadeItems.items();
        List<GradedItem> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.addAll(few);
        }
        ConfidenceInterval small = Bootstrap.standard().intervals(few, List.of(OutcomeMetric.ACCURACY)).get(OutcomeMetric.ACCURACY);
        ConfidenceInterval large = Bootstrap.standard().intervals(many, List.of(OutcomeMetric.ACCURACY)).get(OutcomeMetric.ACCURACY);
        assertTrue(large.high() - large.low() < (small.high() - small.low()) / 3, small + " vs " + large);
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(0, 0.95, 0));
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(10, 1, 0));
    }
}
