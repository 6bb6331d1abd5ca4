package io.clusterserving.core.config;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.clusterserving.core.config.tfserving.FileSystemStoragePathSourceConfig.ServableVersionPolicy;
import io.clusterserving.core.config.tfserving.ModelConfigList;
import io.clusterserving.core.config.tfserving.ModelServerConfig;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * TF Serving's {@code ModelServerConfig} → our {@link ModelConfig}s: the one reading of its rules, for
 * {@code --model_config_file} ({@link ModelConfigFile}) and gRPC {@code HandleReloadConfigRequest} alike.
 *
 * <p>As TF Serving: an empty {@code model_version_policy {}}, {@code latest {}} and
 * {@code latest { num_versions: 0 }} all mean latest 1 (its storage-path source serves
 * {@code max(num_versions, 1)}); {@code custom_model_config} is not supported (TF Serving's model server
 * stops on it) and a reload cannot turn a model list into one ({@link #reload}). Stricter than TF Serving:
 * {@code num_versions} above 2<sup>31</sup>-1, an empty or non-positive {@code specific} version, a
 * non-positive or twice-given version label, and {@code model_type} other than TENSORFLOW are errors, not
 * silently narrowed; {@code logging_config} is refused (UNIMPLEMENTED) rather than ignored.
 */
public final class ModelServerConfigRules {
    private static final FieldDescriptor MODEL_CONFIG_LIST = field(ModelServerConfig.getDescriptor(),
            ModelServerConfig.MODEL_CONFIG_LIST_FIELD_NUMBER);
    private static final FieldDescriptor CUSTOM_MODEL_CONFIG = field(ModelServerConfig.getDescriptor(),
            ModelServerConfig.CUSTOM_MODEL_CONFIG_FIELD_NUMBER);
    private static final FieldDescriptor CONFIG = field(ModelConfigList.getDescriptor(), ModelConfigList.CONFIG_FIELD_NUMBER);
    private static final FieldDescriptor BASE_PATH = field(tfModelConfig(), 2);
    private static final FieldDescriptor MODEL_TYPE = field(tfModelConfig(), 3);
    private static final FieldDescriptor LOGGING_CONFIG = field(tfModelConfig(), 6);
    private static final FieldDescriptor VERSION_POLICY = field(tfModelConfig(), 7);
    private static final FieldDescriptor VERSION_LABELS = field(tfModelConfig(), 8);
    private static final FieldDescriptor LATEST = field(ServableVersionPolicy.getDescriptor(),
            ServableVersionPolicy.LATEST_FIELD_NUMBER);
    private static final FieldDescriptor SPECIFIC = field(ServableVersionPolicy.getDescriptor(),
            ServableVersionPolicy.SPECIFIC_FIELD_NUMBER);
    private static final FieldDescriptor NUM_VERSIONS = field(ServableVersionPolicy.Latest.getDescriptor(),
            ServableVersionPolicy.Latest.NUM_VERSIONS_FIELD_NUMBER);
    private static final FieldDescriptor VERSIONS = field(ServableVersionPolicy.Specific.getDescriptor(),
            ServableVersionPolicy.Specific.VERSIONS_FIELD_NUMBER);

    private ModelServerConfigRules() {
    }

    /**
     * The models a config lists; none when it sets nothing.
     *
     * @param places     where its fields were given, for errors
     * @param relativeTo directory relative base paths resolve against; null keeps them as given
     * @throws ServingException INVALID_ARGUMENT naming the place of a broken rule; UNIMPLEMENTED for
     *                          {@code custom_model_config} and {@code logging_config}
     */
    public static List<ModelConfig> models(ModelServerConfig config, FieldPlaces places, Path relativeTo) {
        switch (config.getConfigCase()) {
            case CONFIG_NOT_SET:
                return List.of();
            case CUSTOM_MODEL_CONFIG:
                throw new ServingException(StatusCode.UNIMPLEMENTED, places.at(CUSTOM_MODEL_CONFIG, 0)
                        + ": custom_model_config is not supported; list the models in model_config_list");
            default:
                break;
        }
        FieldPlaces list = places.child(MODEL_CONFIG_LIST, 0);
        List<io.clusterserving.core.config.tfserving.ModelConfig> configs = config.getModelConfigList().getConfigList();
        List<ModelConfig> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            ModelConfig model = model(configs.get(i), list, i, relativeTo);
            Integer first = seen.putIfAbsent(model.name(), i);
            if (first != null) {
                throw list.error(CONFIG, i, "model name '" + model.name() + "' is used twice (first at "
                        + list.at(CONFIG, first) + "); model names must be unique");
            }
            out.add(model);
        }
        return List.copyOf(out);
    }

    /**
     * The models a running server is asked to serve instead of its own (TF Serving's
     * {@code ServerCore::ReloadConfig}): empty when the config sets nothing, which means "take no action",
     * not "unload everything". The server serves a model list, and TF Serving only lets a model list be
     * replaced by a model list, so {@code custom_model_config} is FAILED_PRECONDITION here.
     */
    public static Optional<List<ModelConfig>> reload(ModelServerConfig config) {
        switch (config.getConfigCase()) {
            case CONFIG_NOT_SET:
                return Optional.empty();
            case CUSTOM_MODEL_CONFIG:
                throw new ServingException(StatusCode.FAILED_PRECONDITION, "custom_model_config: cannot replace "
                        + "the served model_config_list; only a model_config_list can replace a model_config_list");
            default:
                return Optional.of(models(config, FieldPath.root(), null));
        }
    }

    private static ModelConfig model(io.clusterserving.core.config.tfserving.ModelConfig m, FieldPlaces list,
                                     int index, Path relativeTo) {
        FieldPlaces node = list.child(CONFIG, index);
        if (m.hasLoggingConfig()) {
            throw new ServingException(StatusCode.UNIMPLEMENTED,
                    node.at(LOGGING_CONFIG, 0) + ": logging_config (request logging) is not supported");
        }
        String name = m.getName();
        if (name.isBlank()) {
            throw list.error(CONFIG, index, "model config has no name; every config needs name: \"...\"");
        }
        if (m.getBasePath().isBlank()) {
            throw list.error(CONFIG, index, "model '" + name + "' has no base_path; set base_path: \"/path/to/model\"");
        }
        Path base;
        try {
            base = Path.of(m.getBasePath());
        } catch (InvalidPathException e) {
            throw node.error(BASE_PATH, 0, "model '" + name + "': base_path '" + m.getBasePath()
                    + "' is not a path: " + e.getMessage());
        }
        if (!base.isAbsolute() && relativeTo != null) {
            base = relativeTo.resolve(base).normalize();
        }
        VersionPolicy policy = m.hasModelVersionPolicy()
                ? policy(m.getModelVersionPolicy(), node.child(VERSION_POLICY, 0)) : null;
        return new ModelConfig(name, base, platform(m, node), policy, labels(m, node));
    }

    private static String platform(io.clusterserving.core.config.tfserving.ModelConfig m, FieldPlaces node) {
        String platform = m.getModelPlatform().isBlank() ? null : m.getModelPlatform();
        switch (m.getModelTypeValue()) {
            case 0:
                break;
            case 1:
                if (platform != null && !platform.equals("tensorflow")) {
                    throw node.error(MODEL_TYPE, 0, "model '" + m.getName() + "': model_type TENSORFLOW contradicts "
                            + "model_platform \"" + platform + "\"; model_type is deprecated, keep model_platform only");
                }
                platform = "tensorflow";
                break;
            default:
                throw node.error(MODEL_TYPE, 0, "model '" + m.getName() + "': expected model_type "
                        + "MODEL_TYPE_UNSPECIFIED or TENSORFLOW, got " + m.getModelType() + "; use model_platform instead");
        }
        return platform;
    }

    /** A policy given with no choice is TF Serving's default, latest 1. */
    private static VersionPolicy policy(ServableVersionPolicy p, FieldPlaces node) {
        switch (p.getPolicyChoiceCase()) {
            case LATEST: {
                int num = p.getLatest().getNumVersions();
                if (num < 0) {
                    throw node.child(LATEST, 0).error(NUM_VERSIONS, 0, "field 'num_versions': expected at most "
                            + Integer.MAX_VALUE + ", got " + Integer.toUnsignedString(num));
                }
                // TF Serving serves max(num_versions, 1): an unset or zero count is latest 1.
                return new VersionPolicy.Latest(Math.max(1, num));
            }
            case ALL:
                return new VersionPolicy.All();
            case SPECIFIC: {
                List<Long> values = p.getSpecific().getVersionsList();
                if (values.isEmpty()) {
                    throw node.error(SPECIFIC, 0, "specific {} needs at least one 'versions: N'");
                }
                FieldPlaces specific = node.child(SPECIFIC, 0);
                Set<Long> versions = new LinkedHashSet<>();
                for (int i = 0; i < values.size(); i++) {
                    long version = values.get(i);
                    if (version < 1) {
                        throw specific.error(VERSIONS, i, "field 'versions': expected a positive version, got " + version);
                    }
                    versions.add(version);
                }
                return new VersionPolicy.Specific(versions);
            }
            default:
                return VersionPolicy.defaultPolicy();
        }
    }

    /** version_labels, entry by entry as given: a label given twice is an error, not the last one winning. */
    private static Map<String, Long> labels(io.clusterserving.core.config.tfserving.ModelConfig m, FieldPlaces node) {
        Map<String, Long> labels = new LinkedHashMap<>();
        for (int i = 0; i < m.getVersionLabelsCount(); i++) {
            String key = m.getVersionLabels(i).getKey();
            long value = m.getVersionLabels(i).getValue();
            if (key.isEmpty()) {
                throw node.error(VERSION_LABELS, i, "model '" + m.getName() + "': version_labels entry has no key");
            }
            if (value < 1) {
                throw node.error(VERSION_LABELS, i, "model '" + m.getName() + "': label '" + key
                        + "' must point at a positive version, got " + value);
            }
            if (labels.put(key, value) != null) {
                throw node.error(VERSION_LABELS, i, "model '" + m.getName() + "': label '" + key + "' is defined twice");
            }
        }
        return labels;
    }

    private static Descriptor tfModelConfig() {
        return io.clusterserving.core.config.tfserving.ModelConfig.getDescriptor();
    }

    private static FieldDescriptor field(Descriptor type, int number) {
        return type.findFieldByNumber(number);
    }
}
