package io.clusterserving.flink.modelstream;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.repository.ModelLocation;
import io.clusterserving.onnx.build.ExampleModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalModelRepositoryTest {
    @TempDir
    Path dir;

    @Test
    void seedsFromModelPathAndInstallsPublishedVersions() throws Exception {
        ExampleModels.halfPlusTwo(dir.resolve("models"));
        Path base = dir.resolve("models").resolve(ExampleModels.HALF_PLUS_TWO);
        Path v3 = Files.createDirectories(dir.resolve("published/v3"));
        Files.copy(base.resolve("1/model.onnx"), v3.resolve("model.onnx"));

        LocalModelRepository repo = LocalModelRepository.create(dir.resolve("local"),
                ModelLocation.resolve(base.toString(), null));
        Path local = dir.resolve("local").resolve(ExampleModels.HALF_PLUS_TWO);
        assertThat(Files.isSymbolicLink(local.resolve("1"))).isTrue();
        assertThat(repo.location().defaultModel()).isEqualTo(ExampleModels.HALF_PLUS_TWO);
        assertThat(repo.location().models().get(0).basePath()).isEqualTo(local);

        byte[] onnx = Files.readAllBytes(base.resolve("1/model.onnx"));
        assertThat(repo.install(new ModelUpdate(ExampleModels.HALF_PLUS_TWO, 2, "onnx", null, onnx, null))).isTrue();
        assertThat(Files.readAllBytes(local.resolve("2/model.onnx"))).isEqualTo(onnx);
        assertThat(repo.install(new ModelUpdate(ExampleModels.HALF_PLUS_TWO, 2, "onnx", null, onnx, null)))
                .as("a replayed descriptor").isFalse();
        assertThat(repo.install(new ModelUpdate(ExampleModels.HALF_PLUS_TWO, 3, "onnx", null, null, v3.toString())))
                .isTrue();
        assertThat(Files.exists(local.resolve("3/model.onnx"))).isTrue();
        assertThat(repo.install(new ModelUpdate("other", 1, "onnx", null, null, v3.resolve("model.onnx").toString())))
                .isTrue();
        assertThat(repo.location().modelNames()).containsExactly(ExampleModels.HALF_PLUS_TWO, "other");
        assertThat(Files.isSymbolicLink(dir.resolve("local/other/1/model.onnx"))).isTrue();
        assertThatThrownBy(() -> repo.install(new ModelUpdate("other", 2, "onnx", null, null, "/absent/model.onnx")))
                .isInstanceOf(ServingException.class).hasMessageContaining("/absent/model.onnx");
        assertThat(Files.exists(dir.resolve("local/other/2"), LinkOption.NOFOLLOW_LINKS)).isFalse();

        repo.close();
        assertThat(Files.exists(dir.resolve("local"))).isFalse();
        assertThat(Files.exists(base.resolve("1/model.onnx"))).as("link targets survive").isTrue();
        assertThat(Files.exists(v3.resolve("model.onnx"))).isTrue();
    }
}
