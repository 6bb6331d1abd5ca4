package io.clusterserving.core.manager;

import io.clusterserving.core.batching.Batcher;
import io.clusterserving.core.config.ModelOptions;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.stats.VersionMetrics;
import io.clusterserving.core.stats.VersionStats;

import java.util.Map;

/**
 * What a successful load produced, handed to the harness in one piece when the version becomes
 * AVAILABLE and read by requests through their {@link ServableHandle}.
 *
 * @param batcher     null when the version runs unbatched
 * @param options     the model.yaml options in force when it was loaded
 * @param description what stats report for it
 */
record LoadedVersion(LoadedModel model, Batcher batcher, ModelOptions options, String format,
                     Map<String, ServableSignature> signatures, VersionMetrics metrics, VersionStats stats,
                     String description) {
}
