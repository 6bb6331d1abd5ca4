package io.clusterserving.onnx;

import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.VersionListing;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.onnx.build.ExampleModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static io.clusterserving.onnx.OnnxTestSupport.floats;
import static io.clusterserving.onnx.OnnxTestSupport.onnxFormat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnnxFormatTest {
    private static final LoadContext CONTEXT = new LoadContext("m", 1, 1, 1, Map.of());

    @Test
    void serviceLoaderFindsTheOnnxFormat() {
        ModelFormat format = onnxFormat();
        assertThat(format).isInstanceOf(OnnxFormat.class);
        assertThat(format.name()).isEqualTo("onnx");
    }

    @Test
    void candidatesAreTheOnnxFilesSorted(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("b.onnx"), new byte[] {1});
        Files.write(dir.resolve("a.onnx"), new byte[] {1});
        Files.write(dir.resolve("saved_model.pb"), new byte[] {1});
        Files.createDirectory(dir.resolve("dir.onnx"));

        assertThat(new OnnxFormat().candidates(VersionListing.of(dir)))
                .containsExactly(dir.resolve("a.onnx"), dir.resolve("b.onnx"));
        assertThat(new OnnxFormat().candidates(VersionListing.of(dir.resolve("absent")))).isEmpty();
    }

    @Test
    void loadsTheOnlyOnnxFileWhateverItsName(@TempDir Path dir) throws Exception {
        Path written = ExampleModels.halfPlusTwo(dir);
        Path version = written.getParent();
        Files.move(written, version.resolve("exported.onnx"));

        try (LoadedModel m = onnxFormat().load(ModelFiles.find(onnxFormat(), version), CONTEXT)) {
            assertThat(floats(m.predict(Signature.DEFAULT_NAME,
                    Map.of("x", Tensor.ofFloats(new long[] {1}, 2f)), Set.of()).get("y"))).containsExactly(3f);
        }
    }

    @Test
    void prefersModelOnnxAmongSeveralAndRefusesToGuessOtherwise(@TempDir Path dir) throws Exception {
        Path model = ExampleModels.halfPlusTwo(dir);
        Path version = model.getParent();
        Files.write(version.resolve("other.onnx"), new byte[] {1, 2, 3});

        assertThat(new OnnxFormat().modelFile(ModelFiles.find(new OnnxFormat(), version))).isEqualTo(model);

        Files.move(model, version.resolve("zz.onnx"));
        assertThatThrownBy(() -> onnxFormat().load(ModelFiles.find(onnxFormat(), version), CONTEXT))
                .hasMessageContaining("several .onnx files")
                .hasMessageContaining("other.onnx")
                .hasMessageContaining("zz.onnx");
    }

    @Test
    void corruptFileFailsToLoadNamingTheFile(@TempDir Path dir) throws Exception {
        Path version = Files.createDirectories(dir.resolve("broken").resolve("1"));
        Path file = version.resolve("model.onnx");
        Files.write(file, "this is not a protobuf \u0000\u0001\u00ff garbage".getBytes());

        assertThatThrownBy(() -> onnxFormat().load(ModelFiles.find(onnxFormat(), version), CONTEXT))
                .hasMessageContaining(file.toString());
    }
}
