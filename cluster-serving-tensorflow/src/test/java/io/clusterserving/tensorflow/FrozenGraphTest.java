package io.clusterserving.tensorflow;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.model.VersionListing;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.tensorflow.build.ExampleSavedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A frozen GraphDef with Cluster Serving's graph_meta.json sidecar. */
class FrozenGraphTest {
    @TempDir
    Path tmp;

    @Test
    void servesTheNamedTensorsAsServingDefault() throws Exception {
        Path dir = ExampleSavedModels.frozenTimesTwoPlusOne(tmp.resolve("1"));
        assertThat(new TensorFlowFormat().candidates(VersionListing.of(dir))).containsExactly(dir.resolve("model.pb"));
        try (LoadedModel model = load(dir)) {
            Signature s = model.signatures().get(Signature.DEFAULT_NAME);
            assertThat(s.methodName()).isEqualTo(Signature.PREDICT_METHOD);
            assertThat(s.inputs()).containsExactly(new TensorSpec("input:0", DataType.FP32, new long[] {-1, 2}));
            assertThat(s.outputs()).extracting(TensorSpec::name).containsExactly("output:0");
            Tensor out = model.predict(null, Map.of("input:0", Tensor.ofFloats(new long[] {2, 2}, 0f, 1f, 2f, 3f)),
                    Set.of()).get("output:0");
            assertThat(out.shape()).containsExactly(2, 2);
            assertThat(new float[] {out.getFloat(0), out.getFloat(1), out.getFloat(2), out.getFloat(3)})
                    .containsExactly(1f, 3f, 5f, 7f);
        }
    }

    @Test
    void aPbWithoutSidecarIsNotAModel() throws Exception {
        Path dir = ExampleSavedModels.frozenTimesTwoPlusOne(tmp.resolve("1"));
        Files.delete(dir.resolve("graph_meta.json"));
        assertThat(new TensorFlowFormat().candidates(VersionListing.of(dir))).isEmpty();
    }

    @Test
    void sidecarNamingAMissingOperationFailsTheLoad() throws Exception {
        Path dir = ExampleSavedModels.frozenTimesTwoPlusOne(tmp.resolve("1"));
        Files.writeString(dir.resolve("graph_meta.json"), "{\"input_names\": [\"in\"], \"output_names\": [\"output\"]}");
        assertThatThrownBy(() -> load(dir))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code())
                        .isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("input_names lists 'in' but the graph has no operation 'in'");
        Files.writeString(dir.resolve("graph_meta.json"), "{\"input_names\": [\"input\"]}");
        assertThatThrownBy(() -> load(dir)).hasMessageContaining("non-empty list \"output_names\"");
    }

    @Test
    void twoGraphsBesideOneSidecarAreAmbiguous() throws Exception {
        Path dir = ExampleSavedModels.frozenTimesTwoPlusOne(tmp.resolve("1"));
        Files.copy(dir.resolve("model.pb"), dir.resolve("other.pb"));
        assertThatThrownBy(() -> load(dir)).hasMessageContaining("several frozen graphs [model.pb, other.pb]");
    }

    private static LoadedModel load(Path dir) throws Exception {
        return new TensorFlowFormat().load(ModelFiles.find(new TensorFlowFormat(), dir),
                new LoadContext("frozen", 1, 1, 1, Map.of()));
    }
}
