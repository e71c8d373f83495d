package dev.carrot.trainer.pretrain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether and how a job's SFT questions join its pretraining corpus ({@code pretrain.include_sft}).
 *
 * <p>Mixing question/answer examples into pretraining teaches a small model to retrieve, when asked in question form,
 * facts it read only as prose (Allen-Zhu and Li, Physics of Language Models 3.1). Written as the SFT set writes them,
 * each question carries its one style through every epoch of pretraining, so the model learns an arbitrary style per
 * question (per entity name); RL must then unlearn that before a style can follow what the model knows. Written in
 * every style, pretraining ties no style to any question and SFT alone sets the style rates.
 */
public enum SftMix {
    /** The corpus alone ({@code false}). */
    NONE(false),
    /** Each SFT example once, in its SFT style ({@code true}). */
    AS_WRITTEN(true),
    /**
     * Each SFT question in every style, answered, hedged and abstained, in copies proportional to the world's
     * {@code sft_styles} rates ({@code every_style}).
     */
    EVERY_STYLE("every_style");

    private final Object yaml;

    SftMix(Object yaml) {
        this.yaml = yaml;
    }

    /** {@code false} and {@code true} keep their meaning from before {@code every_style} existed. */
    @JsonValue
    public Object yaml() {
        return yaml;
    }

    @JsonCreator
    public static SftMix parse(Object value) {
        for (SftMix mix : values()) {
            if (mix.yaml.equals(value)) {
                return mix;
            }
        }
        throw new IllegalArgumentException("include_sft: expected true, false or every_style, got " + value);
    }
}
