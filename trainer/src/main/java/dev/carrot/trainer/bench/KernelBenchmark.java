package dev.carrot.trainer.bench;

import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.kernels.Kernels;
import dev.carrot.policy.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNormBp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SoftmaxBp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.PreciseGELU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.PreciseGELUDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times libnd4j's own ops against {@link JavaKernels} on the same off-heap buffers, at the activation sizes of
 * reference shape (b) — the measurement behind the choice of kernel implementation. Each libnd4j op is given the
 * work it does natively; where it does more (a full softmax where the kernel is causal), the table says so.
 */
public final class KernelBenchmark {

    /** One comparison: median milliseconds of libnd4j and of the Java kernel. */
    public record Row(String kernel, String shape, double libnd4jMillis, double javaMillis) {

        public double speedup() {
            return libnd4jMillis / javaMillis;
        }
    }

    public List<Row> run() {
        int N = 2048;
        int C = 256;
        int T = 128;
        int heads = 8;
        int V = 256;
        Kernels java = new JavaKernels();
        List<Row> rows = new ArrayList<>();

        Matrix x = EngineBenchmark.randomMatrix(N, C, 1);
        Matrix w = EngineBenchmark.randomMatrix(1, C, 2);
        Matrix b = EngineBenchmark.randomMatrix(1, C, 3);
        Matrix out = Matrix.zeros(N, C);
        Matrix stats = Matrix.zeros(N, 2);
        Matrix dout = EngineBenchmark.randomMatrix(N, C, 4);
        Matrix dx = Matrix.zeros(N, C);
        Matrix dw = Matrix.zeros(1, C);
        Matrix db = Matrix.zeros(1, C);
        INDArray gain = w.rowMajor().reshape(C);
        INDArray bias = b.rowMajor().reshape(C);
        INDArray dGain = dw.rowMajor().reshape(C);
        INDArray dBias = db.rowMajor().reshape(C);
        rows.add(new Row("layer_norm", N + "x" + C,
                millis(() -> Nd4j.exec(new LayerNorm(x.rowMajor(), gain, bias, out.rowMajor(), true, 1))),
                millis(() -> java.layerNorm(out, stats, x, w, b))));
        rows.add(new Row("layer_norm_bp", N + "x" + C,
                millis(() -> Nd4j.exec(new LayerNormBp(x.rowMajor(), gain, bias, dout.rowMajor(), dx.rowMajor(),
                        dGain, dBias, true, 1))),
                millis(() -> java.layerNormBackward(dx, dw, db, dout, x, w, stats))));

        Matrix pre = EngineBenchmark.randomMatrix(N, 4 * C, 5);
        Matrix act = Matrix.zeros(N, 4 * C);
        Matrix grad = EngineBenchmark.randomMatrix(N, 4 * C, 6);
        Matrix dpre = Matrix.zeros(N, 4 * C);
        rows.add(new Row("gelu (tanh)", N + "x" + 4 * C,
                millis(() -> Nd4j.exec(new PreciseGELU(pre.rowMajor(), act.rowMajor()))),
                millis(() -> java.gelu(act, pre))));
        rows.add(new Row("gelu_bp (tanh)", N + "x" + 4 * C,
                millis(() -> {
                    Nd4j.exec(new PreciseGELUDerivative(pre.rowMajor(), dpre.rowMajor()));
                    dpre.rowMajor().muli(grad.rowMajor());
                }),
                millis(() -> java.geluBackward(dpre, pre, grad))));

        int attRows = (N / T) * heads * T;
        Matrix scores = EngineBenchmark.randomMatrix(attRows, T, 7);
        Matrix att = Matrix.zeros(attRows, T);
        Matrix datt = EngineBenchmark.randomMatrix(attRows, T, 8);
        Matrix dscores = Matrix.zeros(attRows, T);
        rows.add(new Row("softmax (libnd4j full rows; Java causal)", attRows + "x" + T,
                millis(() -> Nd4j.exec(new SoftMax(scores.rowMajor(), att.rowMajor(), 1))),
                millis(() -> {
                    att.copyFrom(scores);
                    java.causalSoftmax(att, T, 0.125f);
                })));
        rows.add(new Row("softmax_bp (libnd4j full rows; Java causal)", attRows + "x" + T,
                millis(() -> Nd4j.exec(new SoftmaxBp(scores.rowMajor(), datt.rowMajor(), dscores.rowMajor(), 1))),
                millis(() -> {
                    dscores.copyFrom(datt);
                    java.causalSoftmaxBackward(dscores, att, T, 0.125f);
                })));

        Matrix logits = EngineBenchmark.randomMatrix(N, V, 9);
        Matrix logSoftmax = Matrix.zeros(N, V);
        int[] targets = new int[N];
        float[] logprobs = new float[N];
        float[] entropy = new float[N];
        rows.add(new Row("log_softmax (+ entropy in Java)", N + "x" + V,
                millis(() -> Nd4j.exec(new LogSoftMax(logits.rowMajor(), logSoftmax.rowMajor()))),
                millis(() -> java.tokenLogProbs(logits, targets, logprobs, entropy))));
        return rows;
    }

    private static double millis(Runnable work) {
        return EngineBenchmark.medianSeconds(work, 15) * 1e3;
    }
}
