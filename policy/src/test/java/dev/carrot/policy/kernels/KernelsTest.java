package dev.carrot.policy.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carrot.policy.tensor.Matrix;
import dev.carrot.policy.tensor.SupportedBlasFamily;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds every fast kernel to the reference implementation on random inputs: a tiny shape with odd sizes, and one
 * large enough that {@link Parallel} splits every kernel into several ranges.
 */
@ExtendWith(SupportedBlasFamily.class)
class KernelsTest {

    /** B batch, T time, H heads, D head size, V vocabulary. */
    record Shape(int B, int T, int H, int D, int V) {
        @Override
        public String toString() {
            return "B=" + B + " T=" + T + " H=" + H + " D=" + D + " V=" + V;
        }
    }

    static Stream<Shape> shapes() {
        return Stream.of(new Shape(2, 5, 3, 4, 17), new Shape(4, 128, 4, 32, 300));
    }

    private final Kernels fast = new JavaKernels();
    private final Kernels reference = new ReferenceKernels();
    private final SplittableRandom random = new SplittableRandom(42);

    private Matrix random(int rows, int cols, double scale) {
        Matrix m = Matrix.zeros(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.set(r, c, (float) (scale * random.nextGaussian()));
            }
        }
        return m;
    }

    private static Matrix copy(Matrix m) {
        Matrix out = Matrix.zeros(m.rows(), m.cols());
        out.copyFrom(m);
        return out;
    }

    private static void assertClose(Matrix expected, Matrix actual, double tolerance, String what) {
        for (int r = 0; r < expected.rows(); r++) {
            for (int c = 0; c < expected.cols(); c++) {
                assertEquals(expected.get(r, c), actual.get(r, c),
                        tolerance * Math.max(1, Math.abs(expected.get(r, c))), what + " at (" + r + ", " + c + ")");
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }

    private int[] ids(int count, int bound) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = random.nextInt(bound);
        }
        return ids;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void embedding(Shape shape) {
        int B = shape.B();
        int T = shape.T();
        int H = shape.H();
        int D = shape.D();
        int C = H * D;
        int N = B * T;
        int V = shape.V();
        Matrix wte = random(V, C, 1);
        Matrix wpe = random(T, C, 1);
        int[] tokens = ids(N, V);
        tokens[3] = tokens[7]; // repeated tokens must accumulate in the backward pass
        int[] positions = new int[N];
        for (int n = 0; n < N; n++) {
            positions[n] = n % T;
        }
        Matrix expected = Matrix.zeros(N, C);
        Matrix actual = Matrix.zeros(N, C);
        reference.embed(expected, tokens, positions, wte, wpe);
        fast.embed(actual, tokens, positions, wte, wpe);
        assertClose(expected, actual, 1e-6, "embed");

        Matrix dout = random(N, C, 1);
        Matrix dwteRef = random(V, C, 1);
        Matrix dwpeRef = random(T, C, 1);
        Matrix dwte = copy(dwteRef);
        Matrix dwpe = copy(dwpeRef);
        reference.embedBackward(dwteRef, dwpeRef, dout, tokens, positions);
        fast.embedBackward(dwte, dwpe, dout, tokens, positions);
        assertClose(dwteRef, dwte, 1e-5, "dwte");
        assertClose(dwpeRef, dwpe, 1e-5, "dwpe");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void layerNorm(Shape shape) {
        int B = shape.B();
        int T = shape.T();
        int H = shape.H();
        int D = shape.D();
        int C = H * D;
        int N = B * T;
        int V = shape.V();
        Matrix x = random(N, C, 3);
        Matrix w = random(1, C, 1);
        Matrix b = random(1, C, 1);
        Matrix outRef = Matrix.zeros(N, C);
        Matrix statsRef = Matrix.zeros(N, 2);
        Matrix out = Matrix.zeros(N, C);
        Matrix stats = Matrix.zeros(N, 2);
        reference.layerNorm(outRef, statsRef, x, w, b);
        fast.layerNorm(out, stats, x, w, b);
        assertClose(outRef, out, 1e-5, "layerNorm");
        assertClose(statsRef, stats, 1e-5, "stats");

        Matrix dout = random(N, C, 1);
        Matrix dxRef = random(N, C, 1);
        Matrix dwRef = random(1, C, 1);
        Matrix dbRef = random(1, C, 1);
        Matrix dx = copy(dxRef);
        Matrix dw = copy(dwRef);
        Matrix db = copy(dbRef);
        reference.layerNormBackward(dxRef, dwRef, dbRef, dout, x, w, statsRef);
        fast.layerNormBackward(dx, dw, db, dout, x, w, stats);
        assertClose(dxRef, dx, 1e-4, "dx");
        assertClose(dwRef, dw, 1e-4, "dweight");
        assertClose(dbRef, db, 1e-5, "dbias");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void biasAddAndResidual(Shape shape) {
        int B = shape.B();
        int T = shape.T();
        int H = shape.H();
        int D = shape.D();
        int C = H * D;
        int N = B * T;
        int V = shape.V();
        Matrix out = random(N, C, 1);
        Matrix outRef = copy(out);
        Matrix bias = random(1, C, 1);
        reference.addBias(outRef, bias);
        fast.addBias(out, bias);
        assertClose(outRef, out, 1e-6, "addBias");

        Matrix dbRef = random(1, C, 1);
        Matrix db = copy(dbRef);
        reference.biasBackward(dbRef, out);
        fast.biasBackward(db, out);
        assertClose(dbRef, db, 1e-5, "biasBackward");

        Matrix a = random(N, C, 1);
        Matrix b = random(N, C, 1);
        Matrix sumRef = Matrix.zeros(N, C);
        reference.add(sumRef, a, b);
        fast.add(a, a, b); // aliasing the output is allowed
        assertClose(sumRef, a, 1e-6, "add");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void gelu(Shape shape) {
        int B = shape.B();
        int T = shape.T();
        int H = shape.H();
        int D = shape.D();
        int C = H * D;
        int N = B * T;
        int V = shape.V();
        Matrix x = random(N, 4 * C, 3);
        Matrix outRef = Matrix.zeros(N, 4 * C);
        Matrix out = Matrix.zeros(N, 4 * C);
        reference.gelu(outRef, x);
        fast.gelu(out, x);
        assertClose(outRef, out, 1e-5, "gelu");

        Matrix dout = random(N, 4 * C, 1);
        Matrix dxRef = Matrix.zeros(N, 4 * C);
        Matrix dx = Matrix.zeros(N, 4 * C);
        reference.geluBackward(dxRef, x, dout);
        fast.geluBackward(dx, x, dout);
        assertClose(dxRef, dx, 1e-5, "geluBackward");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void headLayoutRoundTrips(Shape shape) {
        int B = shape.B();
        int T = shape.T();
        int H = shape.H();
        int D = shape.D();
        int C = H * D;
        int N = B * T;
        int V = shape.V();
        Matrix qkv = random(N, 3 * C, 1);
        for (int part = 0; part < 3; part++) {
            Matrix headsRef = Matrix.zeros(B * H * T, D);
            Matrix heads = Matrix.zeros(B * H * T, D);
            reference.toHeads(headsRef, qkv, part, B, T, H);
            fast.toHeads(heads, qkv, part, B, T, H);
            assertClose(headsRef, heads, 0, "toHeads part " + part);
            Matrix back = Matrix.zeros(N, 3 * C);
            Matrix backRef = Matrix.zeros(N, 3 * C);
            reference.fromHeads(backRef, part, headsRef, B, T, H);
            fast.fromHeads(back, part, heads, B, T, H);
            assertClose(backRef, back, 0, "fromHeads part " + part);
            for (int n = 0; n < N; n++) {
                for (int c = 0; c < C; c++) {
                    assertEquals(qkv.get(n, part * C + c), back.get(n, part * C + c));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void causalSoftmax(Shape shape) {
        int B = shape.B();
        int T = shape.T();
        int H = shape.H();
        int D = shape.D();
        int C = H * D;
        int N = B * T;
        int V = shape.V();
        float scale = 0.7f;
        Matrix att = random(B * H * T, T, 2);
        Matrix attRef = copy(att);
        reference.causalSoftmax(attRef, T, scale);
        fast.causalSoftmax(att, T, scale);
        assertClose(attRef, att, 1e-5, "softmax");
        for (int r = 0; r < att.rows(); r++) {
            assertEquals(0f, att.get(r, T - 1) * (r % T == T - 1 ? 0 : 1), "future masked");
        }

        Matrix datt = random(B * H * T, T, 1);
        Matrix dattRef = copy(datt);
        reference.causalSoftmaxBackward(dattRef, attRef, T, scale);
        fast.causalSoftmaxBackward(datt, att, T, scale);
        assertClose(dattRef, datt, 1e-5, "softmaxBackward");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void tokenLogProbsAndEntropy(Shape shape) {
        int B = shape.B();
        int T = shape.T();
        int H = shape.H();
        int D = shape.D();
        int C = H * D;
        int N = B * T;
        int V = shape.V();
        Matrix logits = random(N, V, 3);
        int[] targets = ids(N, V);
        float[] lpRef = new float[N];
        float[] hRef = new float[N];
        float[] lp = new float[N];
        float[] h = new float[N];
        reference.tokenLogProbs(logits, targets, lpRef, hRef);
        fast.tokenLogProbs(logits, targets, lp, h);
        assertClose(lpRef, lp, 1e-5, "logprobs");
        assertClose(hRef, h, 1e-5, "entropy");

        float[] gLp = new float[N];
        float[] gH = new float[N];
        for (int n = 1; n < N; n++) { // row 0 stays all-zero: the fast path must write zeros
            gLp[n] = (float) random.nextGaussian();
            gH[n] = n % 3 == 0 ? 0f : (float) random.nextGaussian();
        }
        Matrix dRef = Matrix.zeros(N, V);
        Matrix d = random(N, V, 1);
        reference.tokenLogProbsBackward(dRef, logits, targets, gLp, gH);
        fast.tokenLogProbsBackward(d, logits, targets, gLp, gH);
        assertClose(dRef, d, 1e-5, "dlogits");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void cachedAttention(Shape shape) {
        int B = shape.B();
        int T = shape.T();
        int H = shape.H();
        int D = shape.D();
        int C = H * D;
        int N = B * T;
        int V = shape.V();
        int S = B + 1;
        int maxT = T + 1;
        int[] positions = new int[S];
        for (int s = 0; s < S; s++) {
            positions[s] = s * T / B; // 0, …, T: the first and last positions of the cache
        }
        Matrix keysRef = random(S * H * maxT, D, 1);
        Matrix valuesRef = random(S * H * maxT, D, 1);
        Matrix keys = copy(keysRef);
        Matrix values = copy(valuesRef);
        Matrix qkv = random(S, 3 * C, 1);
        reference.writeCache(keysRef, qkv, 1, positions, H, maxT);
        reference.writeCache(valuesRef, qkv, 2, positions, H, maxT);
        fast.writeCache(keys, qkv, 1, positions, H, maxT);
        fast.writeCache(values, qkv, 2, positions, H, maxT);
        assertClose(keysRef, keys, 0, "keys");
        assertClose(valuesRef, values, 0, "values");
        Matrix outRef = Matrix.zeros(S, C);
        Matrix out = Matrix.zeros(S, C);
        Matrix weightsRef = Matrix.zeros(S * H, maxT);
        Matrix weights = Matrix.zeros(S * H, maxT);
        reference.cachedAttention(outRef, weightsRef, qkv, keysRef, valuesRef, positions, H, maxT);
        fast.cachedAttention(out, weights, qkv, keys, values, positions, H, maxT);
        assertClose(outRef, out, 1e-5, "cachedAttention");
        assertClose(weightsRef, weights, 1e-6, "attention weights");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void causalAttention(Shape shape) {
        int B = shape.B();
        int T = shape.T();
        int H = shape.H();
        int D = shape.D();
        Matrix q = random(B * H * T, D, 1);
        Matrix k = random(B * H * T, D, 1);
        Matrix v = random(B * H * T, D, 1);
        Matrix yRef = Matrix.zeros(B * H * T, D);
        Matrix y = Matrix.zeros(B * H * T, D);
        Matrix attRef = Matrix.zeros(B * H * T, T);
        Matrix att = random(B * H * T, T, 1); // stale weights past the diagonal must be overwritten with zeros
        reference.causalAttention(yRef, attRef, q, k, v, T);
        fast.causalAttention(y, att, q, k, v, T);
        assertClose(yRef, y, 1e-5, "causalAttention");
        assertClose(attRef, att, 1e-6, "attention weights");
    }
}
