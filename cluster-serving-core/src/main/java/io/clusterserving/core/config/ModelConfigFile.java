package io.clusterserving.core.config;

import io.clusterserving.core.config.tfserving.ModelServerConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads TF Serving's {@code --model_config_file}: a ModelServerConfig in protobuf text format, parsed by
 * protobuf's TextFormat over our {@code tensorflow_serving/config/model_server_config.proto}, its rules
 * those of {@link ModelServerConfigRules}.
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
 * An empty {@code model_version_policy {}}, {@code latest {}} or {@code latest { num_versions: 0 }} means
 * TF Serving's default, latest 1; an absent policy is returned as null so model.yaml can still set one.
 */
public final class ModelConfigFile {

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
        return ModelServerConfigRules.models(builder.build(), root, relativeTo);
    }
}
