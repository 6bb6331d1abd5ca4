package io.clusterserving.core.config;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.clusterserving.core.config.tfserving.FileSystemStoragePathSourceConfig.ServableVersionPolicy;
import io.clusterserving.core.config.tfserving.ModelConfigList;
import io.clusterserving.core.config.tfserving.ModelServerConfig;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads TF Serving's {@code --model_config_file}: a ModelServerConfig in protobuf text format, parsed by
 * protobuf's TextFormat over our {@code tensorflow_serving/config/model_server_config.proto}.
 * <pre>
 * model_config_list {
 *   config {
 *     name: "mnist"                       # required, unique
 *     base_path: "/models/mnist"          # required; relative paths resolve against the file's directory
 *     model_platform: "tensorflow"        # optional format name or alias
 *     model_version_policy { latest { num_versions: 2 } }   # or all {} or specific { versions: 1 versions: 3 }
 *     version_labels { key: "stable" value: 1 }            # repeated; versions must be positive
 *   }
 * }
 * </pre>
 * Also accepted: the deprecated {@code model_type: TENSORFLOW} (same as model_platform "tensorflow").
 * Rejected with a message naming file, line and column: unknown fields (as TF Serving does), {@code custom_model_config}
 * and {@code logging_config} (UNIMPLEMENTED), duplicate names or labels, missing name/base_path.
 * An empty {@code model_version_policy {}} or {@code latest {}} means TF Serving's default, latest 1;
 * an absent policy is returned as null so model.yaml can still set one.
 */
public final class ModelConfigFile {
    private static final FieldDescriptor MODEL_CONFIG_LIST = field(ModelServerConfig.getDescriptor(),
            ModelServerConfig.MODEL_CONFIG_LIST_FIELD_NUMBER);
    private static final FieldDescriptor CUSTOM_MODEL_CONFIG = field(ModelServerConfig.getDescriptor(),
            ModelServerConfig.CUSTOM_MODEL_CONFIG_FIELD_NUMBER);
    private static final FieldDescriptor CONFIG = field(ModelConfigList.getDescriptor(), ModelConfigList.CONFIG_FIELD_NUMBER);
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

    private ModelConfigFile() {
    }

    /** Reads a file; relative base paths resolve against its directory. */
    public static List<ModelConfig> read(Path file) {
        String text = ConfigFiles.readText(file, "model config file");
        Path dir = file.toAbsolutePath().normalize().getParent();
        return parse(text, file.toString(), dir);
    }

    /** Parses text; relative base paths are kept as written. */
    public static List<ModelConfig> parse(String text, String sourceName) {
        return parse(text, sourceName, null);
    }

    /**
     * Parses text, resolving relative base paths against {@code relativeTo} (null: keep them relative).
     */
    public static List<ModelConfig> parse(String text, String sourceName, Path relativeTo) {
        ModelServerConfig.Builder builder = ModelServerConfig.newBuilder();
        TextProtoNode root = TextProtoNode.parse(text, sourceName, builder);
        switch (builder.getConfigCase()) {
            case CONFIG_NOT_SET:
                return List.of();
            case CUSTOM_MODEL_CONFIG:
                throw new ServingException(StatusCode.UNIMPLEMENTED, root.at(CUSTOM_MODEL_CONFIG, 0)
                        + ": custom_model_config is not supported; list the models in model_config_list");
            default:
                break;
        }
        TextProtoNode list = root.child(MODEL_CONFIG_LIST, 0);
        ModelConfigList.Builder configs = builder.getModelConfigListBuilder();
        List<ModelConfig> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < configs.getConfigCount(); i++) {
            ModelConfig config = modelConfig(configs.getConfigBuilder(i), list, i, relativeTo);
            Integer first = seen.putIfAbsent(config.name(), i);
            if (first != null) {
                throw list.error(CONFIG, i, "model name '" + config.name() + "' is used twice (first at line "
                        + list.line(CONFIG, first) + "); model names must be unique");
            }
            out.add(config);
        }
        return List.copyOf(out);
    }

    private static ModelConfig modelConfig(io.clusterserving.core.config.tfserving.ModelConfig.Builder m,
                                           TextProtoNode list, int index, Path relativeTo) {
        TextProtoNode node = list.child(CONFIG, index);
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
        Path base = Path.of(m.getBasePath());
        if (!base.isAbsolute() && relativeTo != null) {
            base = relativeTo.resolve(base).normalize();
        }
        VersionPolicy policy = m.hasModelVersionPolicy()
                ? policy(m.getModelVersionPolicy(), node.child(VERSION_POLICY, 0)) : null;
        return new ModelConfig(name, base, platform(m, node), policy, labels(m, node));
    }

    private static String platform(io.clusterserving.core.config.tfserving.ModelConfig.Builder m, TextProtoNode node) {
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

    /** An empty policy or {@code latest {}} is TF Serving's default, latest 1. */
    private static VersionPolicy policy(ServableVersionPolicy p, TextProtoNode node) {
        switch (p.getPolicyChoiceCase()) {
            case LATEST: {
                TextProtoNode latest = node.child(LATEST, 0);
                if (!latest.has(NUM_VERSIONS)) {
                    return new VersionPolicy.Latest(1);
                }
                int num = p.getLatest().getNumVersions();
                if (num < 1) {
                    throw latest.error(NUM_VERSIONS, 0, "field 'num_versions': expected a number >= 1, got "
                            + Integer.toUnsignedString(num));
                }
                return new VersionPolicy.Latest(num);
            }
            case ALL:
                return new VersionPolicy.All();
            case SPECIFIC: {
                List<Long> values = p.getSpecific().getVersionsList();
                if (values.isEmpty()) {
                    throw node.error(SPECIFIC, 0, "specific {} needs at least one 'versions: N'");
                }
                TextProtoNode specific = node.child(SPECIFIC, 0);
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

    /** version_labels, entry by entry as written: a label written twice is an error, not the last one winning. */
    private static Map<String, Long> labels(io.clusterserving.core.config.tfserving.ModelConfig.Builder m,
                                            TextProtoNode node) {
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

    private static com.google.protobuf.Descriptors.Descriptor tfModelConfig() {
        return io.clusterserving.core.config.tfserving.ModelConfig.getDescriptor();
    }

    static FieldDescriptor field(com.google.protobuf.Descriptors.Descriptor type, int number) {
        return type.findFieldByNumber(number);
    }
}
