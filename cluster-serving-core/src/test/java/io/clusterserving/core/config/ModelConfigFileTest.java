package io.clusterserving.core.config;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelConfigFileTest {

    /** The shape of TF Serving's documented model config example (serving_config.md). */
    private static final String TF_SERVING_EXAMPLE = """
            model_config_list {
              config {
                name: 'my_first_model'
                base_path: '/tmp/my_first_model/'
                model_platform: 'tensorflow'
              }
              config {
                name: 'my_second_model'
                base_path: '/tmp/my_second_model/'
                model_platform: 'tensorflow'
                model_version_policy {
                  specific {
                    versions: 42
                    versions: 43
                  }
                }
                version_labels {
                  key: 'stable'
                  value: 42
                }
                version_labels {
                  key: 'canary'
                  value: 43
                }
              }
            }
            """;

    @Test
    void parsesTheDocumentedExample() {
        List<ModelConfig> configs = ModelConfigFile.parse(TF_SERVING_EXAMPLE, "models.config");
        assertThat(configs).extracting(ModelConfig::name).containsExactly("my_first_model", "my_second_model");
        ModelConfig first = configs.get(0);
        assertThat(first.basePath()).isEqualTo(Path.of("/tmp/my_first_model/"));
        assertThat(first.platform()).isEqualTo("tensorflow");
        assertThat(first.policy()).isNull();
        assertThat(first.versionLabels()).isEmpty();
        ModelConfig second = configs.get(1);
        assertThat(second.policy()).isEqualTo(new VersionPolicy.Specific(Set.of(42L, 43L)));
        assertThat(second.versionLabels()).isEqualTo(Map.of("stable", 42L, "canary", 43L));
    }

    @Test
    void parsesEveryVersionPolicy() {
        List<ModelConfig> configs = ModelConfigFile.parse("""
                model_config_list: {
                  config: { name: "a" base_path: "/a" model_version_policy: { latest: { num_versions: 2 } } },
                  config: { name: "b" base_path: "/b" model_version_policy { all {} } }
                  config < name: "c" base_path: "/c" model_version_policy { latest {} } >
                  config { name: "d" base_path: "/d" model_version_policy {} model_platform: "onnx" }
                  config { name: "e" base_path: "/e" model_type: TENSORFLOW }
                  config { name: "f" base_path: "/f" model_version_policy { latest { num_versions: 0 } } }
                }
                """, "models.config");
        // latest { num_versions: 0 } is latest 1: TF Serving serves max(num_versions, 1).
        assertThat(configs).extracting(ModelConfig::policy).containsExactly(
                new VersionPolicy.Latest(2), new VersionPolicy.All(), new VersionPolicy.Latest(1),
                new VersionPolicy.Latest(1), null, new VersionPolicy.Latest(1));
        assertThat(configs).extracting(ModelConfig::platform)
                .containsExactly(null, null, null, "onnx", "tensorflow", null);
    }

    @Test
    void emptyFileAndEmptyListServeNothing() {
        assertThat(ModelConfigFile.parse("", "x")).isEmpty();
        assertThat(ModelConfigFile.parse("model_config_list {}", "x")).isEmpty();
    }

    @Test
    void readResolvesRelativeBasePathsAgainstTheFilesDirectory(@TempDir Path dir) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path file = conf.resolve("models.config");
        Files.writeString(file, """
                model_config_list {
                  config { name: "rel" base_path: "../models/rel" }
                  config { name: "abs" base_path: "/srv/abs" }
                }
                """);
        List<ModelConfig> configs = ModelConfigFile.read(file);
        assertThat(configs.get(0).basePath()).isEqualTo(dir.toAbsolutePath().normalize().resolve("models/rel"));
        assertThat(configs.get(1).basePath()).isEqualTo(Path.of("/srv/abs"));
    }

    @Test
    void missingFileIsNotFound(@TempDir Path dir) {
        assertThatThrownBy(() -> ModelConfigFile.read(dir.resolve("nope.config")))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND))
                .hasMessageContaining("nope.config");
    }

    @Test
    void rejectsMissingNameAndBasePath() {
        assertInvalid("model_config_list {\n  config { base_path: \"/a\" }\n}",
                "m.config:2:3: model config has no name");
        assertInvalid("model_config_list {\n  config { name: \"a\" }\n}",
                "m.config:2:3: model 'a' has no base_path");
    }

    @Test
    void rejectsDuplicateNames() {
        assertInvalid("""
                model_config_list {
                  config { name: "a" base_path: "/a" }
                  config { name: "a" base_path: "/b" }
                }""", "m.config:3:3: model name 'a' is used twice (first at m.config:2:3)");
    }

    @Test
    void rejectsUnknownFieldsNamingThem() {
        assertInvalid("model_config_list { config { name: \"a\" base_path: \"/a\" basepath: \"/b\" } }",
                "m.config:1:56: unknown field 'basepath' in ModelConfig; known fields: [base_path, ");
        assertInvalid("model_config { }", "m.config:1:1: unknown field 'model_config' in ModelServerConfig");
        assertInvalid("model_config_list { config { name: \"a\" base_path: \"/a\" "
                + "model_version_policy { newest { num_versions: 1 } } } }",
                "unknown field 'newest' in FileSystemStoragePathSourceConfig.ServableVersionPolicy;");
        assertInvalid("model_config_list { config { name: \"a\" base_path: \"/a\" "
                + "model_version_policy { latest { num_version: 1 } } } }",
                "unknown field 'num_version' in FileSystemStoragePathSourceConfig.ServableVersionPolicy.Latest;");
    }

    @Test
    void customModelConfigAndLoggingConfigAreUnimplemented() {
        assertThatThrownBy(() -> ModelConfigFile.parse("custom_model_config { }", "m.config"))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED))
                .hasMessage("m.config:1:1: custom_model_config is not supported; list the models in model_config_list");
        assertThatThrownBy(() -> ModelConfigFile.parse(
                "model_config_list { config { name: \"a\" base_path: \"/a\" logging_config { } } }", "m.config"))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED))
                .hasMessageContaining("logging_config");
    }

    @Test
    void rejectsBadPoliciesAndLabels() {
        assertInvalid("model_config_list { config { name: \"a\" base_path: \"/a\" "
                + "model_version_policy { latest { num_versions: 4294967295 } } } }",
                "m.config:1:88: field 'num_versions': expected at most 2147483647, got 4294967295");
        assertInvalid("model_config_list { config { name: \"a\" base_path: \"/a\" "
                + "model_version_policy { specific { } } } }", "specific {} needs at least one 'versions: N'");
        assertInvalid("model_config_list { config { name: \"a\" base_path: \"/a\" "
                + "model_version_policy { specific { versions: -1 } } } }", "expected a positive version, got -1");
        assertInvalid("model_config_list { config { name: \"a\" base_path: \"/a\" "
                + "model_version_policy { all {} latest {} } } }", "field 'latest' is set together with 'all'");
        assertInvalid("model_config_list { config { name: \"a\" base_path: \"/a\" "
                + "version_labels { key: \"x\" value: 0 } } }", "label 'x' must point at a positive version, got 0");
        assertInvalid("model_config_list { config { name: \"a\" base_path: \"/a\" "
                + "version_labels { key: \"x\" value: 1 } version_labels { key: \"x\" value: 2 } } }",
                "label 'x' is defined twice");
        assertInvalid("model_config_list { config { name: \"a\" name: \"b\" base_path: \"/a\" } }",
                "field 'name' is set more than once");
        assertInvalid("model_config_list { config { name: a base_path: \"/a\" } }",
                "m.config:1:36: Expected string.");
    }

    @Test
    void labelsMayPointAtVersionsOutsideThePolicy() {
        List<ModelConfig> configs = ModelConfigFile.parse("""
                model_config_list { config {
                  name: "a" base_path: "/a"
                  model_version_policy { specific { versions: 1 } }
                  version_labels { key: "future" value: 7 }
                } }""", "m.config");
        assertThat(configs.get(0).versionLabels()).containsEntry("future", 7L);
    }

    private static void assertInvalid(String text, String expected) {
        assertThatThrownBy(() -> ModelConfigFile.parse(text, "m.config"))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining(expected);
    }
}
