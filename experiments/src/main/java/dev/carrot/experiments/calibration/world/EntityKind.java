package dev.carrot.experiments.calibration.world;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The kinds of fictional entities; each has its own relations. */
public enum EntityKind {
    COUNTRY,
    PERSON,
    CITY;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The relations whose subject is an entity of this kind, one fact per relation and entity. */
    public List<Relation> relations() {
        return Arrays.stream(Relation.values()).filter(relation -> relation.subject() == this).toList();
    }
}
