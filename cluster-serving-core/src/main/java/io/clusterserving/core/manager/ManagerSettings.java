package io.clusterserving.core.manager;

import io.clusterserving.core.config.BatchingParameters;
import io.clusterserving.core.config.ModelSettings;

/**
 * Server-wide settings of the {@link ModelManager}.
 *
 * @param maxLoadRetries          retries after a failed load (TF Serving's {@code --max_num_load_retries}, default 5)
 * @param loadRetryIntervalMicros wait between attempts ({@code --load_retry_interval_micros}, default 60 s)
 * @param intraOpThreads          runtime threads inside an op unless model.yaml says otherwise (0 = format default)
 * @param interOpThreads          runtime threads across ops unless model.yaml says otherwise (0 = format default)
 * @param batching                server-wide batching parameters; null = batching off unless model.yaml turns it on
 * @param loaderThreads           threads loading versions in parallel
 */
public record ManagerSettings(int maxLoadRetries, long loadRetryIntervalMicros, int intraOpThreads,
                              int interOpThreads, BatchingParameters batching, int loaderThreads) {
    public ManagerSettings {
        if (maxLoadRetries < 0) {
            throw new IllegalArgumentException("max load retries must be >= 0, got " + maxLoadRetries);
        }
        if (loadRetryIntervalMicros < 0) {
            throw new IllegalArgumentException("load retry interval must be >= 0, got " + loadRetryIntervalMicros);
        }
        loaderThreads = Math.max(1, loaderThreads);
    }

    /** TF Serving's defaults: 5 retries a minute apart, no batching, two loader threads. */
    public static ManagerSettings defaults() {
        return new ManagerSettings(5, 60_000_000L, 0, 0, null, 2);
    }

    /**
     * The batching parameters that apply to a model, or null when it runs unbatched. model.yaml wins:
     * {@code batching_enabled: false} turns batching off, its own {@code batching:} parameters turn it on,
     * {@code batching_enabled: true} alone turns it on with the server's (else TF's default) parameters.
     */
    public BatchingParameters batchingFor(ModelSettings options) {
        if (Boolean.FALSE.equals(options.batchingEnabled())) {
            return null;
        }
        if (options.batching() != null) {
            return options.batching();
        }
        if (Boolean.TRUE.equals(options.batchingEnabled())) {
            return batching != null ? batching : BatchingParameters.defaults();
        }
        return batching;
    }
}
