package io.clusterserving.torch;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.VersionListing;
import io.clusterserving.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TorchFormatTest {
    @TempDir
    Path base;

    @Test
    void isFoundThroughTheServiceLoaderAsTorchscript() {
        ModelFormat format = TorchFixtures.format();
        assertThat(format).isInstanceOf(TorchFormat.class);
        assertThat(format.describePattern()).isEqualTo("*.pt/*.torchscript");
    }

    @Test
    void candidatesArePtAndTorchscriptRegularFiles() throws Exception {
        Path dir = Files.createDirectories(base.resolve("m/1"));
        Files.writeString(dir.resolve("b.torchscript"), "x");
        Files.writeString(dir.resolve("a.pt"), "x");
        Files.writeString(dir.resolve("c.onnx"), "x");
        Files.writeString(dir.resolve("notes.pt.txt"), "x");
        Files.createDirectories(dir.resolve("d.pt"));

        assertThat(new TorchFormat().candidates(VersionListing.of(dir)))
                .containsExactly(dir.resolve("a.pt"), dir.resolve("b.torchscript"));
        assertThat(new TorchFormat().candidates(VersionListing.of(base.resolve("missing")))).isEmpty();
    }

    @Test
    void aTorchscriptFileLoadsToo() throws Exception {
        Path dir = TorchFixtures.version(base, "hp2", "half_plus_two.torchscript", TorchFixtures.HALF_PLUS_TWO);
        try (LoadedModel model = TorchFixtures.format().load(ModelFiles.find(TorchFixtures.format(), dir),
                new LoadContext("hp2", 1, 0, 0, Map.of()))) {
            assertThat(model.predict(Signature.DEFAULT_NAME,
                    Map.of("input0", Tensor.ofFloats(new long[] {1}, 4f)), Set.of()).get("output0"))
                    .isEqualTo(Tensor.ofFloats(new long[] {1}, 4f));
        }
    }

    @Test
    void severalFilesNeedOneNamedModelPt() throws Exception {
        Path dir = TorchFixtures.version(base, "m", "a.pt", TorchFixtures.HALF_PLUS_TWO);
        TorchFixtures.HALF_PLUS_TWO.write(dir.resolve("b.pt"));
        assertThatThrownBy(() -> new TorchFormat().modelFile(ModelFiles.find(new TorchFormat(), dir)))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("[a.pt, b.pt]").hasMessageContaining("model.pt");
        TorchFixtures.HALF_PLUS_TWO.write(dir.resolve("model.pt"));
        assertThat(new TorchFormat().modelFile(ModelFiles.find(new TorchFormat(), dir)))
                .isEqualTo(dir.resolve("model.pt"));
    }

    @Test
    void anEmptyVersionIsNotFound() throws Exception {
        Path dir = Files.createDirectories(base.resolve("m/1"));
        assertThatThrownBy(() -> new TorchFormat().load(ModelFiles.find(new TorchFormat(), dir),
                new LoadContext("m", 1, 0, 0, Map.of())))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));
    }

    @Test
    void aCorruptFileIsALoadErrorNamingIt() throws Exception {
        Path dir = Files.createDirectories(base.resolve("m/1"));
        Path file = Files.write(dir.resolve("broken.pt"), "not a zip archive".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> TorchFixtures.format().load(ModelFiles.find(TorchFixtures.format(), dir),
                new LoadContext("m", 1, 0, 0, Map.of())))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageStartingWith("cannot load TorchScript model " + file + ": ")
                .hasMessageContaining("zip archive");
    }

    @Test
    void anArchiveWhoseCodeDoesNotCompileIsALoadError() throws Exception {
        Path dir = TorchFixtures.version(base, "m", "model.pt",
                io.clusterserving.torch.build.TorchScriptArchiveWriter.module("Broken")
                        .forward("def forward(self,\n    x: Tensor) -> Tensor:\n  return torch.no_such_op(x)"));
        assertThatThrownBy(() -> TorchFixtures.format().load(ModelFiles.find(TorchFixtures.format(), dir),
                new LoadContext("m", 1, 0, 0, Map.of())))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining(dir.resolve("model.pt").toString())
                .hasMessageContaining("no_such_op");
    }

    @Test
    void badOptionsAreRejectedBeforeLoading() throws Exception {
        Path dir = TorchFixtures.version(base, "m", "model.pt", TorchFixtures.HALF_PLUS_TWO);
        assertThatThrownBy(() -> load(dir, Map.of("inputs", List.of("x"))))
                .hasMessageContaining("unknown TorchScript option 'inputs'");
        assertThatThrownBy(() -> load(dir, Map.of("input_names", List.of("a", "b"), "input_dtypes", List.of("FP32"))))
                .hasMessageContaining("option input_dtypes lists 1 inputs but input_names lists 2");
        assertThatThrownBy(() -> load(dir, Map.of("input_dtypes", List.of("BYTES"))))
                .hasMessageContaining("input 'input0' is BYTES");
        assertThatThrownBy(() -> load(dir, Map.of("input_shapes", List.of(List.of(-2)))))
                .hasMessageContaining("option input_shapes[0][0] must be an integer >= -1");
        assertThatThrownBy(() -> load(dir, Map.of("output_names", List.of("y", "y"))))
                .hasMessageContaining("option output_names names 'y' twice");
        assertThatThrownBy(() -> load(dir, Map.of("graph_optimizer", "maybe")))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT));
    }

    @Test
    void theEngineRunsOfflineWithExplicitThreadsAndAProjectLocalCache() throws Exception {
        Path dir = TorchFixtures.version(base, "m", "model.pt", TorchFixtures.HALF_PLUS_TWO);
        load(dir, Map.of()).close();
        TorchRuntime.Settings settings = TorchRuntime.start(1, 1, null);
        assertThat(ai.djl.util.Utils.isOfflineMode()).isTrue();
        assertThat(settings.intraOpThreads()).isEqualTo(1);
        assertThat(settings.interOpThreads()).isEqualTo(1);
        assertThat(settings.cacheDir().toString()).doesNotContain(".djl.ai");
        assertThat(settings.libtorchVersion()).startsWith("2.7.1");
    }

    private static LoadedModel load(Path dir, Map<String, Object> options) throws Exception {
        return TorchFixtures.format().load(ModelFiles.find(TorchFixtures.format(), dir),
                new LoadContext("m", 1, 1, 1, options));
    }
}
