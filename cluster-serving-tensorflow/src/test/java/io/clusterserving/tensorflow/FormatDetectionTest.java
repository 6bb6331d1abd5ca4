package io.clusterserving.tensorflow;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.VersionListing;
import io.clusterserving.core.repository.FormatRegistry;
import io.clusterserving.core.repository.FormatSelection;
import io.clusterserving.onnx.OnnxFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which version directories are TensorFlow models, alone and beside other formats. */
class FormatDetectionTest {
    @TempDir
    Path dir;

    @Test
    void theFormatIsFoundByServiceLoaderAndByTfServingsPlatformName() {
        FormatRegistry registry = FormatRegistry.load();
        assertThat(registry.names()).contains("tensorflow", "onnx");
        assertThat(registry.byName("tensorflow_savedmodel")).get().isInstanceOf(TensorFlowFormat.class);
    }

    @Test
    void savedModelWinsOverAFrozenGraphSidecar() throws Exception {
        Files.write(dir.resolve("saved_model.pb"), new byte[0]);
        Files.write(dir.resolve("frozen.pb"), new byte[0]);
        Files.writeString(dir.resolve("graph_meta.json"), "{}");
        assertThat(new TensorFlowFormat().candidates(VersionListing.of(dir)))
                .containsExactly(dir.resolve("saved_model.pb"));
    }

    @Test
    void savedModelBesideAnOnnxFileIsAmbiguous() throws Exception {
        Files.write(dir.resolve("saved_model.pb"), new byte[0]);
        Files.write(dir.resolve("model.onnx"), new byte[0]);
        FormatRegistry registry = new FormatRegistry(List.of(new TensorFlowFormat(), new OnnxFormat()));
        assertThatThrownBy(() -> registry.select(dir, null))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code())
                        .isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("several model formats")
                .hasMessageContaining("tensorflow [saved_model.pb]")
                .hasMessageContaining("onnx [model.onnx]");
        FormatSelection chosen = registry.select(dir, "tensorflow");
        assertThat(chosen.format()).isInstanceOf(TensorFlowFormat.class);
    }

    @Test
    void anEmptyDirectoryNamesTheExpectedFiles() {
        FormatRegistry registry = new FormatRegistry(List.of(new TensorFlowFormat()));
        assertThatThrownBy(() -> registry.select(dir, null))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code())
                        .isEqualTo(StatusCode.NOT_FOUND))
                .hasMessageContaining("saved_model.pb or *.pb with graph_meta.json");
    }

    @Test
    void aBrokenSavedModelFailsWithTheDirectoryAndTags() throws Exception {
        Files.write(dir.resolve("saved_model.pb"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> new TensorFlowFormat().load(ModelFiles.find(new TensorFlowFormat(), dir),
                new LoadContext("m", 1, 1, 1, Map.of())))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code())
                        .isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("cannot load TensorFlow SavedModel " + dir)
                .hasMessageContaining("[serve]");
    }

    @Test
    void unknownOptionsAreRejected() {
        assertThatThrownBy(() -> new TensorFlowFormat().load(ModelFiles.find(new TensorFlowFormat(), dir),
                new LoadContext("m", 1, 1, 1,
                Map.of("tag", "serve"))))
                .hasMessageContaining("unknown TensorFlow option 'tag'");
    }
}
