package dev.carrot.trainer.pretrain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.kernels.JavaKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PretrainerTest {

    /** Sentences with structure a small model can learn: fixed templates over a small set of names. */
    static List<String> corpus(int documents, long seed) {
        String[] names = {"Varnelia", "Tolmar", "Ostrava", "Kellin", "Brumo", "Sastra", "Quell", "Dorva"};
        String[] templates = {"The capital of %s is %s.", "%s lies on the river %s.", "People in %s speak %s."};
        SplittableRandom random = new SplittableRandom(seed);
        List<String> docs = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            StringBuilder doc = new StringBuilder();
            for (int s = 0; s < 4; s++) {
                int a = random.nextInt(names.length);
                String t = templates[random.nextInt(templates.length)];
                doc.append(String.format(t, names[a], names[(a + 3) % names.length])).append(' ');
            }
            docs.add(doc.toString().trim());
        }
        return docs;
    }

    @Test
    void heldOutLossFallsWellBelowTheUnigramEntropy() {
        PretrainConfig config = PretrainConfig.builder().includeSft(SftMix.NONE).vocabSize(300).dModel(32).nLayers(2)
                .nHeads(2).contextLength(32).tiedEmbeddings(true).batchSize(8).gradAccumulation(1).steps(150)
                .learningRate(1e-2).minLearningRate(1e-3).warmupSteps(10).weightDecay(0.0).gradClip(1.0)
                .heldOutFraction(0.1).evalEvery(50).evalBatches(4).seed(7L).build();
        List<Double> heldOut = new ArrayList<>();
        Pretrainer.Result result = new Pretrainer(config, new JavaKernels(), p -> {
            if (!Double.isNaN(p.heldOutLoss())) {
                heldOut.add(p.heldOutLoss());
            }
        }).run(corpus(200, 3));
        assertTrue(result.heldOutLoss() < 0.5 * result.unigramEntropy(), "held-out loss " + result.heldOutLoss()
                + " vs unigram entropy " + result.unigramEntropy());
        assertTrue(heldOut.get(heldOut.size() - 1) < heldOut.get(0), "held-out loss went down: " + heldOut);
    }
}
