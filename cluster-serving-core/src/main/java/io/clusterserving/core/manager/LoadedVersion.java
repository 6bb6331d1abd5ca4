package io.clusterserving.core.manager;

import io.clusterserving.core.batching.Batcher;
import io.clusterserving.core.config.ModelSettings;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.stats.VersionMetrics;
import io.clusterserving.core.stats.VersionStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * What a successful load produced, handed to the harness in one piece when the version becomes
 * AVAILABLE and read by requests through their {@link ServableHandle}.
 *
 * @param batcher     null when the version runs unbatched
 * @param options     the model.yaml options in force when it was loaded
 * @param description what stats report for it
 */
record LoadedVersion(LoadedModel model, Batcher batcher, ModelSettings options, String format,
                     Map<String, ServableSignature> signatures, VersionMetrics metrics, VersionStats stats,
                     String description) {
    private static final Logger log = LoggerFactory.getLogger(LoadedVersion.class);

    /** Closes the batcher, then the model; a failure is logged, not thrown (the version is going anyway). */
    void closeQuietly(String what) {
        closeQuietly(batcher, what);
        closeQuietly(model, what);
    }

    static void closeQuietly(AutoCloseable c, String what) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception | Error e) {
            log.warn("closing {} failed: {}", what, e.toString());
        }
    }
}
