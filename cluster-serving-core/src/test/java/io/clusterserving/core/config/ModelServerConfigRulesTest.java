package io.clusterserving.core.config;

import io.clusterserving.core.config.tfserving.FileSystemStoragePathSourceConfig.ServableVersionPolicy;
import io.clusterserving.core.config.tfserving.LoggingConfig;
import io.clusterserving.core.config.tfserving.ModelConfigList;
import io.clusterserving.core.config.tfserving.ModelServerConfig;
import io.clusterserving.core.config.tfserving.VersionLabel;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules as a reload request (a message, not text) meets them; ModelConfigFileTest covers the file. */
class ModelServerConfigRulesTest {

    @Test
    void modelServerConfigBecomesModelConfigs() {
        var config = ModelServerConfig.newBuilder().setModelConfigList(ModelConfigList.newBuilder()
                .addConfig(tfConfig("a").setBasePath("/models/a").setModelPlatform("onnx")
                        .setModelVersionPolicy(ServableVersionPolicy.newBuilder().setSpecific(
                                ServableVersionPolicy.Specific.newBuilder().addVersions(1).addVersions(2)))
                        .addVersionLabels(VersionLabel.newBuilder().setKey("stable").setValue(1)))
                .addConfig(tfConfig("b").setBasePath("/models/b").setModelVersionPolicy(ServableVersionPolicy.newBuilder()
                        .setLatest(ServableVersionPolicy.Latest.getDefaultInstance()))))
                .build();
        List<ModelConfig> models = ModelServerConfigRules.reload(config).orElseThrow();
        assertThat(models).containsExactly(
                new ModelConfig("a", Path.of("/models/a"), "onnx", new VersionPolicy.Specific(Set.of(1L, 2L)),
                        Map.of("stable", 1L)),
                new ModelConfig("b", Path.of("/models/b"), null, new VersionPolicy.Latest(1), Map.of()));
        assertThat(ModelServerConfigRules.reload(ModelServerConfig.getDefaultInstance())).isEmpty();
        var nameless = list(io.clusterserving.core.config.tfserving.ModelConfig.newBuilder().setBasePath("/x"));
        assertThatThrownBy(() -> ModelServerConfigRules.reload(nameless))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageStartingWith("model_config_list.config[0]: model config has no name");
    }

    @Test
    void latestZeroIsLatestOneAsInTfServing() {
        var config = list(tfConfig("a").setBasePath("/a").setModelVersionPolicy(ServableVersionPolicy.newBuilder()
                .setLatest(ServableVersionPolicy.Latest.newBuilder().setNumVersions(0))));
        assertThat(ModelServerConfigRules.reload(config).orElseThrow().get(0).policy())
                .isEqualTo(new VersionPolicy.Latest(1));
        var huge = list(tfConfig("a").setBasePath("/a").setModelVersionPolicy(ServableVersionPolicy.newBuilder()
                .setLatest(ServableVersionPolicy.Latest.newBuilder().setNumVersions(-1))));
        assertThatThrownBy(() -> ModelServerConfigRules.reload(huge)).isInstanceOf(ServingException.class)
                .hasMessage("model_config_list.config[0].model_version_policy.latest.num_versions: "
                        + "field 'num_versions': expected at most 2147483647, got 4294967295");
    }

    @Test
    void aReloadCannotTurnTheModelListIntoACustomConfig() {
        var custom = ModelServerConfig.newBuilder()
                .setCustomModelConfig(com.google.protobuf.Any.getDefaultInstance()).build();
        assertThatThrownBy(() -> ModelServerConfigRules.reload(custom))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.FAILED_PRECONDITION))
                .hasMessageContaining("only a model_config_list can replace a model_config_list");
        assertThatThrownBy(() -> ModelServerConfigRules.models(custom, FieldPath.root(), null))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED))
                .hasMessage("custom_model_config: custom_model_config is not supported; "
                        + "list the models in model_config_list");
    }

    @Test
    void aReloadMeetsTheFilesRulesNamingTheFieldPath() {
        assertThatThrownBy(() -> ModelServerConfigRules.reload(list(tfConfig("a").setBasePath("/a"), tfConfig("a").setBasePath("/b"))))
                .isInstanceOf(ServingException.class)
                .hasMessage("model_config_list.config[1]: model name 'a' is used twice "
                        + "(first at model_config_list.config[0]); model names must be unique");
        assertThatThrownBy(() -> ModelServerConfigRules.reload(list(tfConfig("a").setBasePath("/a")
                .setModelVersionPolicy(ServableVersionPolicy.newBuilder().setSpecific(
                        ServableVersionPolicy.Specific.newBuilder().addVersions(3).addVersions(0))))))
                .isInstanceOf(ServingException.class)
                .hasMessage("model_config_list.config[0].model_version_policy.specific.versions[1]: "
                        + "field 'versions': expected a positive version, got 0");
        assertThatThrownBy(() -> ModelServerConfigRules.reload(list(tfConfig("a").setBasePath("/a")
                .addVersionLabels(VersionLabel.newBuilder().setKey("x").setValue(1))
                .addVersionLabels(VersionLabel.newBuilder().setKey("x").setValue(2)))))
                .isInstanceOf(ServingException.class)
                .hasMessage("model_config_list.config[0].version_labels[1]: model 'a': label 'x' is defined twice");
        assertThatThrownBy(() -> ModelServerConfigRules.reload(list(tfConfig("a").setBasePath("/a")
                .setLoggingConfig(LoggingConfig.getDefaultInstance()))))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED))
                .hasMessageStartingWith("model_config_list.config[0].logging_config: ");
    }

    private static io.clusterserving.core.config.tfserving.ModelConfig.Builder tfConfig(String name) {
        return io.clusterserving.core.config.tfserving.ModelConfig.newBuilder().setName(name);
    }

    private static ModelServerConfig list(io.clusterserving.core.config.tfserving.ModelConfig.Builder... configs) {
        ModelConfigList.Builder list = ModelConfigList.newBuilder();
        for (var c : configs) {
            list.addConfig(c);
        }
        return ModelServerConfig.newBuilder().setModelConfigList(list).build();
    }
}
