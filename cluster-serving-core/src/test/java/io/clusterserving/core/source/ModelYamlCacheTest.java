package io.clusterserving.core.source;

import io.clusterserving.core.config.ModelSettings;
import io.clusterserving.core.config.VersionPolicy;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelYamlCacheTest {
    @TempDir
    Path base;
    private final ModelYamlCache cache = new ModelYamlCache();

    @Test
    void anUnchangedFileIsParsedOnce() throws Exception {
        Files.writeString(base.resolve("model.yaml"), "version_policy:\n  latest: 2\n");
        ModelSettings first = cache.read(base);
        assertThat(first.policy()).isEqualTo(new VersionPolicy.Latest(2));
        assertThat(cache.read(base)).isSameAs(first);
        assertThat(cache.read(base)).isSameAs(first);
        assertThat(cache.parses()).isEqualTo(1);
    }

    @Test
    void aRewrittenOrReplacedFileIsParsedAgain() throws Exception {
        Path file = base.resolve("model.yaml");
        Files.writeString(file, "version_policy:\n  latest: 2\n");
        cache.read(base);
        Files.writeString(file, "version_policy:\n  latest: 3\n  # longer\n");
        assertThat(cache.read(base).policy()).isEqualTo(new VersionPolicy.Latest(3));

        Path staged = Files.writeString(base.resolve(".model.yaml.new"), "version_policy: {all: true}\n");
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(cache.read(base).policy()).isEqualTo(new VersionPolicy.All());
        assertThat(cache.parses()).isEqualTo(3);
    }

    @Test
    void aBrokenFileKeepsFailingUntilFixedAndAMissingOneIsNone() throws Exception {
        Path file = base.resolve("model.yaml");
        Files.writeString(file, "no_such_key: 1\n");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.read(base))
                    .isInstanceOfSatisfying(ServingException.class,
                            e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                    .hasMessageContaining("no_such_key");
        }
        assertThat(cache.parses()).isEqualTo(1);
        Files.delete(file);
        assertThat(cache.read(base)).isEqualTo(ModelSettings.none());
        Files.writeString(file, "version_policy:\n  latest: 1\n");
        assertThat(cache.read(base).policy()).isEqualTo(new VersionPolicy.Latest(1));
        cache.retainOnly(List.of());
        cache.read(base);
        assertThat(cache.parses()).isEqualTo(3);
    }
}
