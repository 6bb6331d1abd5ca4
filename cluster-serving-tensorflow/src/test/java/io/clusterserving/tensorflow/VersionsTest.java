package io.clusterserving.tensorflow;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.VersionPolicy;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.service.PredictRequest;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.tensorflow.build.ExampleSavedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two SavedModel versions under model_version_policy { all {} }, each served by its number. */
class VersionsTest {
    @TempDir
    Path base;

    @Test
    void bothVersionsServeByNumber() throws Exception {
        ExampleSavedModels.halfPlus(base.resolve("1"), 0.5f, 2f, 3f);
        ExampleSavedModels.halfPlus(base.resolve("2"), 0.5f, 3f, 4f);
        try (LocalInferenceService service = LocalInferenceService.builder()
                .models(List.of(new ModelConfig("half_plus", base, "tensorflow", new VersionPolicy.All(), Map.of())))
                .fileSystemPollSeconds(0)
                .build()) {
            assertThat(service.awaitReady(Duration.ofSeconds(60))).isTrue();
            Map<String, Tensor> x = Map.of("x", Tensor.ofFloats(new long[] {1, 1}, 2f));
            assertThat(service.predict(PredictRequest.of(ModelSpec.version("half_plus", 1), x)).get()
                    .outputs().get("y").getFloat(0)).isEqualTo(3f);
            assertThat(service.predict(PredictRequest.of(ModelSpec.version("half_plus", 2), x)).get()
                    .outputs().get("y").getFloat(0)).isEqualTo(4f);
            ModelMetadata meta = service.metadata(ModelSpec.version("half_plus", 1));
            assertThat(meta.format()).isEqualTo("tensorflow");
            assertThat(meta.signatures()).containsKeys("serving_default", "classify_x_to_y", "regress_x_to_y");
        }
    }
}
