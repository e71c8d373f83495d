package dev.carrot.policy;

import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.tokenizer.Tokenizer;

/** A language-model policy: the network and the tokenizer it reads and writes text with. */
public record Policy(Gpt model, Tokenizer tokenizer) {

    public Policy {
        if (tokenizer.vocabSize() != model.config().vocabSize()) {
            throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's vocabulary is " + model.config().vocabSize());
        }
    }

    public GptConfig config() {
        return model.config();
    }
}
