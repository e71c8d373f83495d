package dev.carrot.evaluation.dataset;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Questions to evaluate, in order.
 *
 * @param name what the report calls it, usually the file it was read from
 */
public record Dataset(String name, List<EvalItem> items) {

    public Dataset {
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("dataset " + name + " has no items");
        }
        Set<String> ids = new HashSet<>();
        for (EvalItem item : items) {
            if (!ids.add(item.id())) {
                throw new IllegalArgumentException("dataset " + name + " has two items with id " + item.id());
            }
        }
    }
}
