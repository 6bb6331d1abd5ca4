package io.clusterserving.core.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * One served model, as a {@code model_config_list} entry, the {@code --model_name/--model_base_path}
 * flags or a {@code --model_repository} subdirectory describe it.
 *
 * @param platform      TF Serving's {@code model_platform} ("tensorflow", "onnx", ...); may be null/empty
 * @param policy        null means "from model.yaml, else latest 1"
 * @param versionLabels label → version
 */
public record ModelConfig(String name, Path basePath, String platform, VersionPolicy policy,
                          Map<String, Long> versionLabels) {
    public ModelConfig {
        versionLabels = versionLabels == null ? Map.of() : Map.copyOf(versionLabels);
    }

    public static ModelConfig of(String name, Path basePath) {
        return new ModelConfig(name, basePath, null, null, Map.of());
    }

    /** The same model served under another name. */
    public ModelConfig withName(String newName) {
        return new ModelConfig(newName, basePath, platform, policy, versionLabels);
    }

    /** The same model read from another base directory. */
    public ModelConfig withBasePath(Path newBasePath) {
        return new ModelConfig(name, newBasePath, platform, policy, versionLabels);
    }
}
