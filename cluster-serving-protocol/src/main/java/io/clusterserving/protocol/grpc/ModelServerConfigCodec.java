package io.clusterserving.protocol.grpc;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.VersionPolicy;
import io.clusterserving.core.config.tfserving.FileSystemStoragePathSourceConfig.ServableVersionPolicy;
import io.clusterserving.core.config.tfserving.ModelServerConfig;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** TF Serving's {@code ModelServerConfig} (as ReloadConfigRequest carries it) → core {@link ModelConfig}s. */
public final class ModelServerConfigCodec {
    private ModelServerConfigCodec() {
    }

    /**
     * The models a config asks for. Empty when the config sets nothing, which TF Serving treats as "take
     * no action" rather than "unload everything". A custom_model_config is refused as TF Serving
     * refuses it: only a model_config_list can replace a model_config_list.
     */
    public static Optional<List<ModelConfig>> toCore(ModelServerConfig config) {
        switch (config.getConfigCase()) {
            case CONFIG_NOT_SET:
                return Optional.empty();
            case CUSTOM_MODEL_CONFIG:
                throw new ServingException(StatusCode.FAILED_PRECONDITION,
                        "custom_model_config is not supported; send a model_config_list");
            default:
                break;
        }
        List<ModelConfig> out = new ArrayList<>();
        HashSet<String> names = new HashSet<>();
        var list = config.getModelConfigList().getConfigList();
        for (int i = 0; i < list.size(); i++) {
            var c = list.get(i);
            String where = "model_config_list.config[" + i + "]";
            if (c.getName().isEmpty()) {
                throw ServingException.invalidArgument("%s has no name", where);
            }
            if (!names.add(c.getName())) {
                throw ServingException.invalidArgument("%s: model '%s' is configured twice", where, c.getName());
            }
            if (c.getBasePath().isEmpty()) {
                throw ServingException.invalidArgument("%s (model '%s') has no base_path", where, c.getName());
            }
            Path base;
            try {
                base = Path.of(c.getBasePath());
            } catch (InvalidPathException e) {
                throw ServingException.invalidArgument("%s (model '%s'): base_path '%s' is not a path: %s", where,
                        c.getName(), c.getBasePath(), e.getMessage());
            }
            VersionPolicy policy;
            try {
                policy = c.hasModelVersionPolicy() ? policy(c.getModelVersionPolicy()) : null;
            } catch (IllegalArgumentException e) {
                throw ServingException.invalidArgument("%s (model '%s'): %s", where, c.getName(), e.getMessage());
            }
            String platform = c.getModelPlatform().isEmpty() ? null : c.getModelPlatform();
            Map<String, Long> labels = new LinkedHashMap<>();
            c.getVersionLabelsList().forEach(label -> labels.put(label.getKey(), label.getValue()));
            out.add(new ModelConfig(c.getName(), base, platform, policy, labels));
        }
        return Optional.of(out);
    }

    static VersionPolicy policy(ServableVersionPolicy p) {
        return switch (p.getPolicyChoiceCase()) {
            // TF Serving serves at least one version when latest.num_versions is left at 0.
            case LATEST -> new VersionPolicy.Latest(Math.max(1, p.getLatest().getNumVersions()));
            case ALL -> new VersionPolicy.All();
            case SPECIFIC -> new VersionPolicy.Specific(new HashSet<>(p.getSpecific().getVersionsList()));
            case POLICYCHOICE_NOT_SET -> null;
        };
    }
}
