package dev.carrot.evaluation.metrics;

import dev.carrot.evaluation.FlagshipReward;
import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.Style;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ten graded items whose metrics are worked out by hand in the tests, paid under the flagship scheme:
 * correct +1, hedged correct +0.5, abstained 0, hedged incorrect -2, incorrect (and unparseable) -4.
 *
 * <pre>
 *  #  style        correct  confidence  reward  oracle
 *  1  answered     yes      0.9         +1      +1
 *  2  answered     yes      0.8         +1      +1
 *  3  answered     no       0.7         -4       0
 *  4  hedged       yes      0.4         +0.5    +1
 *  5  hedged       no       0.3         -2       0
 *  6  abstained    -        0.95         0       0
 *  7  abstained    -        0.6          0       0
 *  8  unparseable  -        0.2         -4       0
 *  9  answered     no       0.8         -4       0
 * 10  answered     yes      unknown     +1      +1
 * </pre>
 */
final class HandMadeItems {

    private HandMadeItems() {}

    static List<GradedItem> items() {
        List<GradedItem> items = new ArrayList<>();
        items.add(item(1, Style.ANSWERED, true, 0.9));
        items.add(item(2, Style.ANSWERED, true, 0.8));
        items.add(item(3, Style.ANSWERED, false, 0.7));
        items.add(item(4, Style.HEDGED, true, 0.4));
        items.add(item(5, Style.HEDGED, false, 0.3));
        items.add(item(6, Style.ABSTAINED, false, 0.95));
        items.add(item(7, Style.ABSTAINED, false, 0.6));
        items.add(item(8, Style.UNPARSEABLE, false, 0.2));
        items.add(item(9, Style.ANSWERED, false, 0.8));
        items.add(item(10, Style.ANSWERED, true, Double.NaN));
        return items;
    }

    static GradedItem item(int number, Style style, boolean correct, double confidence) {
        Grade grade = new Grade(style, correct, style == Style.ABSTAINED || style == Style.UNPARSEABLE ? "" : "x");
        double oracle = correct ? FlagshipReward.of(new Grade(Style.ANSWERED, true, "x"))
                : FlagshipReward.of(new Grade(Style.ABSTAINED, false, ""));
        EvalItem item = new EvalItem("q" + number, "Question " + number + "?", "gold", List.of(), "t", Map.of());
        return new GradedItem(item, "completion " + number, confidence, grade, FlagshipReward.of(grade), oracle);
    }
}
