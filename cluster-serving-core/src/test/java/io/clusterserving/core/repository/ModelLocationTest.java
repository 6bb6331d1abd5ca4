package io.clusterserving.core.repository;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.testing.LinearFormat;
import io.clusterserving.core.testing.ModelDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelLocationTest {
    private final FormatRegistry formats = new FormatRegistry(List.of(new LinearFormat()));

    @TempDir
    Path dir;

    @Test
    void aBaseDirectoryIsOneModelNamedAfterItOrTheModelName() {
        Path base = dir.resolve("m");
        ModelDirs.writeVersion(base, 1, "1 0");
        ModelLocation byDir = ModelLocation.resolve(base.toString(), null, formats);
        assertThat(byDir.models()).containsExactly(ModelConfig.of("m", base));
        assertThat(byDir.defaultModel()).isEqualTo("m");
        assertThat(byDir.temporaryBase()).isNull();
        ModelLocation named = ModelLocation.resolve("file://" + base, "served", formats);
        assertThat(named.models()).containsExactly(ModelConfig.of("served", base));
        assertThat(named.defaultModel()).isEqualTo("served");
    }

    @Test
    void aVersionDirectoryIsLinkedAsVersionOneOfATemporaryBase() throws IOException {
        Path version = ModelDirs.writeVersion(dir.resolve("m"), 3, "2 0");
        ModelLocation location = ModelLocation.resolve(version.toString(), "linear", formats);
        Path base = location.temporaryBase();
        assertThat(base).isNotNull();
        assertThat(location.models()).containsExactly(ModelConfig.of("linear", base));
        assertThat(Files.isSymbolicLink(base.resolve("1"))).isTrue();
        assertThat(base.resolve("1").toRealPath()).isEqualTo(version.toRealPath());
        location.close();
        assertThat(Files.exists(base)).isFalse();
        assertThat(Files.exists(version.resolve("model.lin"))).as("the link target survives").isTrue();
    }

    @Test
    void aRepositoryServesEveryModelWithTheNamedOneAsDefault() {
        ModelDirs.writeVersion(dir.resolve("a"), 1, "1 0");
        ModelDirs.writeVersion(dir.resolve("b"), 1, "1 0");
        ModelLocation any = ModelLocation.resolve(dir.toString(), null, formats);
        assertThat(any.modelNames()).containsExactly("a", "b");
        assertThat(any.defaultModel()).isNull();
        assertThat(ModelLocation.resolve(dir.toString(), "b", formats).defaultModel()).isEqualTo("b");
        assertThatThrownBy(() -> ModelLocation.resolve(dir.toString(), "c", formats))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND))
                .hasMessageContaining("'c'").hasMessageContaining("[a, b]");
    }

    @Test
    void theOneModelOfARepositoryIsServedUnderTheModelName() {
        ModelDirs.writeVersion(dir.resolve("only"), 1, "1 0");
        assertThat(ModelLocation.resolve(dir.toString(), null, formats).defaultModel()).isEqualTo("only");
        ModelLocation renamed = ModelLocation.resolve(dir.toString(), "served", formats);
        assertThat(renamed.models()).containsExactly(ModelConfig.of("served", dir.resolve("only")));
        assertThat(renamed.defaultModel()).isEqualTo("served");
    }

    @Test
    void errorsNameThePath() throws IOException {
        assertThatThrownBy(() -> ModelLocation.resolve(dir.resolve("absent").toString(), null, formats))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND))
                .hasMessageContaining("absent").hasMessageContaining("does not exist");
        Files.writeString(dir.resolve("notes.txt"), "no model");
        assertThatThrownBy(() -> ModelLocation.resolve(dir.toString(), null, formats))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND))
                .hasMessageContaining(dir.toString()).hasMessageContaining("neither version directories");
        assertThatThrownBy(() -> ModelLocation.resolve(" ", null, formats))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT));
    }

    @Test
    void ofTakesTheNamedModelElseTheOnlyOne() {
        List<ModelConfig> one = List.of(ModelConfig.of("a", dir));
        assertThat(ModelLocation.of(one, null).defaultModel()).isEqualTo("a");
        List<ModelConfig> two = List.of(ModelConfig.of("a", dir), ModelConfig.of("b", dir));
        assertThat(ModelLocation.of(two, null).defaultModel()).isNull();
        assertThat(ModelLocation.of(two, "b").defaultModel()).isEqualTo("b");
    }
}
