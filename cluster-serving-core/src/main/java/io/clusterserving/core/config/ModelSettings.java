package io.clusterserving.core.config;

import java.util.Map;

/**
 * The optional per-model {@code <base>/<model>/model.yaml}. Every field may be absent (null / 0),
 * meaning "use the server-wide setting".
 *
 * @param format           format override ("onnx", "tensorflow", "pmml", "torchscript")
 * @param policy           version policy
 * @param batching         batching parameters for this model; null = server-wide setting
 * @param batchingEnabled  null = server-wide; TRUE/FALSE turns batching on/off for this model
 * @param instances        loaded copies per version, round-robin (0 = 1)
 * @param intraOpThreads   runtime threads inside an op (0 = server default)
 * @param interOpThreads   runtime threads across ops (0 = server default)
 * @param defaultSignature signature used when a request names none (null = serving_default)
 * @param description      free text shown in stats
 * @param formatOptions    format-specific options ({@code options:})
 */
public record ModelSettings(String format, VersionPolicy policy, BatchingParameters batching, Boolean batchingEnabled,
                           int instances, int intraOpThreads, int interOpThreads, String defaultSignature,
                           String description, Map<String, Object> formatOptions) {
    public ModelSettings {
        formatOptions = formatOptions == null ? Map.of() : Map.copyOf(formatOptions);
    }

    public static ModelSettings none() {
        return new ModelSettings(null, null, null, null, 0, 0, 0, null, null, Map.of());
    }
}
