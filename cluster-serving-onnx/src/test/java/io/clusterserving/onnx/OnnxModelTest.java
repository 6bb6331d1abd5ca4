package io.clusterserving.onnx;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.onnx.build.OnnxGraphBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.clusterserving.onnx.OnnxTestSupport.floats;
import static io.clusterserving.onnx.OnnxTestSupport.inputRows;
import static io.clusterserving.onnx.OnnxTestSupport.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OnnxModelTest {
    private static final long MLP_SEED = 99;
    private static final int[] SMALL_MLP = {16, 64, 32, 10};

    @TempDir
    static Path repository;

    private static LoadedModel halfPlusTwo;
    private static LoadedModel dense128;
    private static LoadedModel smallMlp;

    @BeforeAll
    static void writeAndLoad() throws Exception {
        ExampleModels.halfPlusTwo(repository);
        ExampleModels.dense128(repository);
        ExampleModels.mlp(repository, "small_mlp", MLP_SEED, SMALL_MLP);
        halfPlusTwo = load(repository, ExampleModels.HALF_PLUS_TWO);
        dense128 = load(repository, ExampleModels.DENSE128);
        smallMlp = load(repository, "small_mlp");
    }

    @AfterAll
    static void close() {
        for (LoadedModel m : new LoadedModel[] {halfPlusTwo, dense128, smallMlp}) {
            if (m != null) {
                m.close();
            }
        }
    }

    @Test
    void halfPlusTwoComputesExactly() {
        Map<String, Tensor> out = halfPlusTwo.predict(Signature.DEFAULT_NAME,
                Map.of("x", Tensor.ofFloats(new long[] {3}, 1f, 2f, 5f)), Set.of());

        assertThat(out).containsOnlyKeys("y");
        assertThat(out.get("y").shape()).containsExactly(3);
        assertThat(floats(out.get("y"))).containsExactly(2.5f, 3.0f, 4.5f);
    }

    @Test
    void emptyBatchGivesEmptyOutput() {
        Tensor y = dense128.predict(Signature.DEFAULT_NAME,
                Map.of("x", Tensor.ofFloats(new long[] {0, 128})), Set.of()).get("y");
        assertThat(y.shape()).containsExactly(0, 128);
        assertThat(y.byteSize()).isZero();
    }

    @Test
    void signatureReportsGraphInputsAndOutputsWithFreeDims() {
        assertThat(halfPlusTwo.signatures()).containsOnlyKeys(Signature.DEFAULT_NAME);
        Signature s = halfPlusTwo.signatures().get(Signature.DEFAULT_NAME);
        assertThat(s.methodName()).isEqualTo(Signature.PREDICT_METHOD);
        assertThat(s.inputs()).containsExactly(new TensorSpec("x", DataType.FP32, new long[] {-1}));
        assertThat(s.outputs()).containsExactly(new TensorSpec("y", DataType.FP32, new long[] {-1}));

        Signature d = dense128.signatures().get(Signature.DEFAULT_NAME);
        assertThat(d.inputs()).containsExactly(new TensorSpec("x", DataType.FP32, new long[] {-1, 128}));
        assertThat(d.outputs()).containsExactly(new TensorSpec("y", DataType.FP32, new long[] {-1, 128}));
        assertThat(d.isBatchable()).isTrue();
    }

    @Test
    void dense128MatchesPlainJavaForBatchesOfOneAndFive() {
        for (int rows : new int[] {1, 5}) {
            float[] x = inputRows(rows, rows, 128);
            Tensor y = dense128.predict(Signature.DEFAULT_NAME,
                    Map.of("x", Tensor.ofFloats(new long[] {rows, 128}, x)), Set.of()).get("y");

            assertThat(y.shape()).containsExactly(rows, 128);
            float[] got = floats(y);
            for (int r = 0; r < rows; r++) {
                float[] row = new float[128];
                System.arraycopy(x, r * 128, row, 0, 128);
                float[] expected = DenseReference.dense128(row);
                for (int j = 0; j < 128; j++) {
                    assertThat(got[r * 128 + j]).as("row %d col %d", r, j).isCloseTo(expected[j], within(1e-4f));
                }
            }
        }
        // y is [-1, 128]: ORT wrote into pre-allocated outputs, and the guess held
        assertThat(((OnnxModel) dense128).outputsPinned()).isTrue();
    }

    @Test
    void aWrongBatchGuessIsAnsweredRightAndStopsPreAllocation(@TempDir Path dir) throws Exception {
        // declared [-1, 2], but one row of 4 becomes two rows of 2: the guess [1, 2] is wrong
        new OnnxGraphBuilder("pairs")
                .input("x", DataType.FP32, -1, 4)
                .initializer("pair_shape", Tensor.ofLongs(new long[] {2}, -1, 2))
                .node("Reshape", List.of("x", "pair_shape"), List.of("y"))
                .output("y", DataType.FP32, -1, 2)
                .write(ExampleModels.modelFile(dir, "pairs"));
        try (LoadedModel m = load(dir, "pairs")) {
            OnnxModel onnx = (OnnxModel) m;
            assertThat(onnx.outputsPinned()).isTrue();
            Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[] {1, 4}, 1f, 2f, 3f, 4f));
            for (int call = 1; call <= 2; call++) {
                Tensor y = m.predict(Signature.DEFAULT_NAME, in, Set.of()).get("y");
                assertThat(y.shape()).as("call %d", call).containsExactly(2, 2);
                assertThat(floats(y)).as("call %d", call).containsExactly(1f, 2f, 3f, 4f);
                assertThat(onnx.outputsPinned()).as("call %d", call).isFalse();
            }
        }
    }

    @Test
    void smallMlpMatchesPlainJava() {
        int rows = 5;
        int in = SMALL_MLP[0];
        int out = SMALL_MLP[SMALL_MLP.length - 1];
        float[] x = inputRows(42, rows, in);
        Tensor y = smallMlp.predict(Signature.DEFAULT_NAME,
                Map.of("x", Tensor.ofFloats(new long[] {rows, in}, x)), Set.of()).get("y");

        assertThat(y.shape()).containsExactly(rows, out);
        float[] got = floats(y);
        for (int r = 0; r < rows; r++) {
            float[] row = new float[in];
            System.arraycopy(x, r * in, row, 0, in);
            float[] expected = DenseReference.mlp(row, MLP_SEED, SMALL_MLP);
            for (int j = 0; j < out; j++) {
                assertThat(got[r * out + j]).as("row %d col %d", r, j).isCloseTo(expected[j], within(1e-4f));
            }
        }
        // Not all zero: the last layer has no relu, so negative values must show up too.
        boolean negative = false;
        boolean positive = false;
        for (float v : got) {
            negative |= v < 0;
            positive |= v > 0;
        }
        assertThat(negative && positive).as("outputs of both signs").isTrue();
    }

    @Test
    void missingInputIsNamed() {
        assertThatThrownBy(() -> halfPlusTwo.predict(Signature.DEFAULT_NAME, Map.of(), Set.of()))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessage("missing input 'x'; the signature's inputs are [x]");
    }

    @Test
    void unknownInputIsNamed() {
        Map<String, Tensor> inputs = Map.of(
                "x", Tensor.ofFloats(new long[] {1}, 1f),
                "z", Tensor.ofFloats(new long[] {1}, 1f));
        assertThatThrownBy(() -> halfPlusTwo.predict(Signature.DEFAULT_NAME, inputs, Set.of()))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("unknown input 'z'")
                .hasMessageContaining("[x]");
    }

    @Test
    void runtimeRejectionBecomesInvalidArgumentNamingTheModel() {
        Map<String, Tensor> wrongWidth = Map.of("x", Tensor.ofFloats(new long[] {1, 64}, new float[64]));
        assertThatThrownBy(() -> dense128.predict(Signature.DEFAULT_NAME, wrongWidth, Set.of()))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageStartingWith("model 'dense128': ");
        // the input was at fault, not the pre-allocated outputs' shapes
        assertThat(((OnnxModel) dense128).outputsPinned()).isTrue();
    }

    @Test
    void wrongDtypeIsRejectedBeforeTheRuntime() {
        assertThatThrownBy(() -> halfPlusTwo.predict(Signature.DEFAULT_NAME,
                Map.of("x", Tensor.ofInts(new long[] {1}, 1)), Set.of()))
                .isInstanceOf(ServingException.class)
                .hasMessage("input 'x' is INT32, the model expects FP32");
    }

    @Test
    void unknownSignatureIsRejected() {
        assertThatThrownBy(() -> halfPlusTwo.predict("other", Map.of("x", Tensor.ofFloats(new long[] {1}, 1f)), Set.of()))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.FAILED_PRECONDITION))
                .hasMessageContaining("\"other\"");
    }

    @Test
    void outputFilterReturnsOnlyTheRequestedOutputs(@TempDir Path dir) throws Exception {
        new OnnxGraphBuilder("two_outputs")
                .input("x", DataType.FP32, -1)
                .floatInitializer("two", new long[0], 2f)
                .node("Mul", List.of("x", "two"), List.of("doubled"))
                .node("Neg", List.of("x"), List.of("negated"))
                .output("doubled", DataType.FP32, -1)
                .output("negated", DataType.FP32, -1)
                .write(ExampleModels.modelFile(dir, "two_outputs"));
        try (LoadedModel m = load(dir, "two_outputs")) {
            Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[] {2}, 1f, 3f));

            Map<String, Tensor> all = m.predict(Signature.DEFAULT_NAME, in, Set.of());
            assertThat(all.keySet()).containsExactly("doubled", "negated");

            Map<String, Tensor> onlyNegated = m.predict(Signature.DEFAULT_NAME, in, Set.of("negated"));
            assertThat(onlyNegated).containsOnlyKeys("negated");
            assertThat(floats(onlyNegated.get("negated"))).containsExactly(-1f, -3f);

            assertThatThrownBy(() -> m.predict(Signature.DEFAULT_NAME, in, Set.of("tripled")))
                    .isInstanceOf(ServingException.class)
                    .hasMessageContaining("unknown output 'tripled'");
        }
    }

    @Test
    void concurrentPredictsFromFourThreadsAreCorrect() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        int rows = 1 + (i + thread) % 4;
                        float[] x = inputRows(1000L * thread + i, rows, 128);
                        float[] got = floats(dense128.predict(Signature.DEFAULT_NAME,
                                Map.of("x", Tensor.ofFloats(new long[] {rows, 128}, x)), Set.of()).get("y"));
                        float[] firstRow = new float[128];
                        System.arraycopy(x, 0, firstRow, 0, 128);
                        float[] expected = DenseReference.dense128(firstRow);
                        assertThat(got).hasSize(rows * 128);
                        for (int j = 0; j < 128; j++) {
                            assertThat(got[j]).isCloseTo(expected[j], within(1e-4f));
                        }
                        float v = thread * 10 + i;
                        assertThat(floats(halfPlusTwo.predict(Signature.DEFAULT_NAME,
                                Map.of("x", Tensor.ofFloats(new long[] {1}, v)), Set.of()).get("y")))
                                .containsExactly(0.5f * v + 2);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sessionOptionsAreValidated(@TempDir Path dir) throws Exception {
        ExampleModels.halfPlusTwo(dir);
        Path version = dir.resolve(ExampleModels.HALF_PLUS_TWO).resolve("1");
        OnnxFormat format = new OnnxFormat();

        LoadContext tuned = new LoadContext("h", 1, 2, 2, Map.of(
                "graph_optimization_level", "basic",
                "allow_spinning", true,
                "session_config", Map.of("session.use_env_allocators", "0")));
        try (LoadedModel m = format.load(ModelFiles.find(format, version), tuned)) {
            assertThat(floats(m.predict(Signature.DEFAULT_NAME,
                    Map.of("x", Tensor.ofFloats(new long[] {1}, 4f)), Set.of()).get("y"))).containsExactly(4f);
        }

        assertThatThrownBy(() -> format.load(ModelFiles.find(format, version),
                new LoadContext("h", 1, 0, 0, Map.of("threads", 4))))
                .isInstanceOf(ServingException.class)
                .hasMessageContaining("unknown ONNX option 'threads'");
        assertThatThrownBy(() -> format.load(ModelFiles.find(format, version),
                new LoadContext("h", 1, 0, 0, Map.of("graph_optimization_level", "max"))))
                .isInstanceOf(ServingException.class)
                .hasMessageContaining("graph_optimization_level is 'max'");
    }
}
