package io.clusterserving.tensorflow;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.Classification;
import io.clusterserving.core.model.Example;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.model.VersionListing;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.tensorflow.build.ExampleSavedModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A project-built SavedModel shaped like TF Serving's half_plus_two (built by TF Java here, not by
 * TensorFlow's Python exporter), served through the format with TF Serving's documented answers.
 */
class HalfPlusTwoTest {
    @TempDir
    static Path tmp;
    static Path versionDir;
    static TensorFlowModel model;

    @BeforeAll
    static void load() throws Exception {
        versionDir = ExampleSavedModels.halfPlusTwo(tmp.resolve("half_plus_two/1"));
        model = (TensorFlowModel) new TensorFlowFormat().load(ModelFiles.find(new TensorFlowFormat(), versionDir),
                new LoadContext("half_plus_two", 1, 1, 1, Map.of()));
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void exportHasVariablesAndIsDetectedAsSavedModel() throws Exception {
        assertThat(versionDir.resolve("saved_model.pb")).isRegularFile();
        assertThat(versionDir.resolve("variables/variables.index")).isRegularFile();
        assertThat(new TensorFlowFormat().candidates(VersionListing.of(versionDir)))
                .containsExactly(versionDir.resolve("saved_model.pb"));
    }

    @Test
    void predictAnswersLikeTfServingForAVectorAlthoughXIsDeclaredMinusOneByOne() {
        assertThat(model.signatures().get("serving_default").input("x").orElseThrow().shape())
                .containsExactly(-1, 1);
        assertThat(model.strictShapes()).isFalse();
        Map<String, Tensor> out = model.predict("serving_default",
                Map.of("x", Tensor.ofFloats(new long[] {3}, 1f, 2f, 5f)), Set.of());
        Tensor y = out.get("y");
        assertThat(y.shape()).containsExactly(3);
        assertThat(new float[] {y.getFloat(0), y.getFloat(1), y.getFloat(2)}).containsExactly(2.5f, 3.0f, 4.5f);
    }

    @Test
    void predictKeepsTheBatchShape() {
        Tensor y = model.predict(null, Map.of("x", Tensor.ofFloats(new long[] {2, 1}, 0f, 10f)), Set.of("y")).get("y");
        assertThat(y.shape()).containsExactly(2, 1);
        assertThat(y.getFloat(1)).isEqualTo(7f);
    }

    @Test
    void concurrentCallsEachGetTheirOwnAnswer() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Float>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                float x = i;
                answers.add(pool.submit(() -> model.predict("serving_default",
                        Map.of("x", Tensor.ofFloats(new long[] {1, 1}, x)), Set.of()).get("y").getFloat(0)));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).as("answer %d", i).isEqualTo(0.5f * i + 2f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void metadataListsEverySignatureWithItsMethodAndTensors() {
        Map<String, Signature> sigs = model.signatures();
        assertThat(sigs.keySet()).containsExactly("classify_x_to_labels", "classify_x_to_y", "regress_x2_to_y3",
                "regress_x_to_y", "regress_x_to_y2", "serving_default");
        assertThat(sigs.get("serving_default").methodName()).isEqualTo(Signature.PREDICT_METHOD);
        assertThat(sigs.get("classify_x_to_y").methodName()).isEqualTo(Signature.CLASSIFY_METHOD);
        assertThat(sigs.get("regress_x_to_y2").methodName()).isEqualTo(Signature.REGRESS_METHOD);
        assertThat(sigs.get("classify_x_to_y").inputs())
                .containsExactly(new TensorSpec("inputs", DataType.BYTES, new long[] {-1}));
        assertThat(sigs.get("classify_x_to_labels").outputs()).extracting(TensorSpec::name)
                .containsExactly("classes", "scores");
        assertThat(model.tensorName("serving_default", "x")).isEqualTo("x:0");
        assertThat(model.tensorName("serving_default", "y")).isEqualTo("y:0");
        assertThat(model.tensorName("regress_x_to_y", "inputs")).isEqualTo("tf_example:0");
        assertThat(model.tensorName("regress_x2_to_y3", "inputs")).isEqualTo("x2:0");
    }

    @Test
    void classifyWithScoresOnlyGivesEmptyLabels() {
        List<List<Classification>> result = model.classify(ExampleSavedModels.CLASSIFY_X_TO_Y,
                List.of(Example.builder().floats("x", 2f).build(), Example.builder().floats("x", -1f).build()), null);
        assertThat(result).containsExactly(List.of(new Classification("", 3.0f)),
                List.of(new Classification("", 1.5f)));
    }

    @Test
    void classifyWithClassesAndScoresZipsThem() {
        List<List<Classification>> result = model.classify(ExampleSavedModels.CLASSIFY_X_TO_LABELS,
                List.of(Example.builder().floats("x", 4f).build()), null);
        assertThat(result).containsExactly(List.of(new Classification("y", 4.0f), new Classification("y2", 5.0f)));
    }

    @Test
    void regressFromExamplesAndContext() {
        assertThat(model.regress(ExampleSavedModels.REGRESS_X_TO_Y2,
                List.of(Example.builder().floats("x", 2f).build()), null)).containsExactly(4.0f);
        // x comes from the context unless the example has its own.
        Example context = Example.builder().floats("x", 2f).build();
        assertThat(model.regress(ExampleSavedModels.REGRESS_X_TO_Y2,
                List.of(Example.EMPTY, Example.builder().floats("x", 4f).build()), context))
                .containsExactly(4.0f, 5.0f);
        assertThat(model.regress(ExampleSavedModels.REGRESS_X_TO_Y,
                List.of(Example.builder().floats("x", 1f).build(), Example.builder().floats("x", 3f).build()), null))
                .containsExactly(2.5f, 3.5f);
    }

    @Test
    void regressOnASignatureWhoseInputIsNotStringsIsRejected() {
        // half_plus_two's regress_x2_to_y3 takes the float x2 itself: no serialized examples can feed it.
        assertThatThrownBy(() -> model.regress(ExampleSavedModels.REGRESS_X2_TO_Y3,
                List.of(Example.builder().floats("x2", 1f).build()), null))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code())
                        .isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("input \"inputs\" must be DT_STRING");
        Tensor y3 = model.predict(ExampleSavedModels.REGRESS_X2_TO_Y3,
                Map.of("inputs", Tensor.ofFloats(new long[] {1, 1}, 4f)), Set.of()).get("outputs");
        assertThat(y3.getFloat(0)).isEqualTo(5f);
    }

    @Test
    void unknownSignatureIsNamed() {
        assertThatThrownBy(() -> model.predict("nope", Map.of(), Set.of()))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code())
                        .isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("no signature 'nope'").hasMessageContaining("regress_x_to_y");
    }

    @Test
    void wrongDtypeIsRejectedWithExpectedAndActual() {
        assertThatThrownBy(() -> model.predict("serving_default",
                Map.of("x", Tensor.ofInts(new long[] {1}, 1)), Set.of()))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code())
                        .isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("input 'x': expected FP32, got INT32");
    }

    @Test
    void unknownInputAndOutputAreNamed() {
        assertThatThrownBy(() -> model.predict("serving_default", Map.of("x", Tensor.ofFloats(new long[] {1}, 1f),
                "z", Tensor.ofFloats(new long[] {1}, 1f)), Set.of()))
                .hasMessageContaining("has no input [z]");
        assertThatThrownBy(() -> model.predict("serving_default", Map.of("x", Tensor.ofFloats(new long[] {1}, 1f)),
                Set.of("q"))).hasMessageContaining("has no output 'q'");
    }

    @Test
    void classifyOnAPredictSignatureUsesTfServingsMessage() {
        assertThatThrownBy(() -> model.classify("serving_default", List.of(Example.builder().floats("x", 1f).build()),
                null))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code())
                        .isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("Expected classification signature method_name to be "
                        + "tensorflow/serving/classify. Was: tensorflow/serving/predict");
        assertThatThrownBy(() -> model.regress(ExampleSavedModels.CLASSIFY_X_TO_Y,
                List.of(Example.builder().floats("x", 1f).build()), null))
                .hasMessageContaining("Expected regression signature method_name to be tensorflow/serving/regress");
    }

    @Test
    void emptyExamplesAndMissingRequiredFeatureAreInvalidArguments() {
        assertThatThrownBy(() -> model.regress(ExampleSavedModels.REGRESS_X_TO_Y, List.of(), null))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code())
                        .isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("Input is empty");
        // TensorFlow's ParseExample rejects an example without the required feature "x".
        assertThatThrownBy(() -> model.regress(ExampleSavedModels.REGRESS_X_TO_Y,
                List.of(Example.builder().floats("x2", 1f).build()), null))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code())
                        .isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("x");
    }

    @Test
    void aScalarReachesTensorFlowWhichBroadcastsIt() {
        // x is fed past the parser, so TensorFlow accepts any shape for it and y's Add broadcasts.
        Tensor y = model.predict("serving_default", Map.of("x", Tensor.ofFloats(new long[] {}, 4f)), Set.of())
                .get("y");
        assertThat(y.rank()).isZero();
        assertThat(y.getFloat(0)).isCloseTo(4f, within(1e-6f));
    }
}
