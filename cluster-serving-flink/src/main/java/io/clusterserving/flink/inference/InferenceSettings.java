package io.clusterserving.flink.inference;

import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.config.PostProcessing;

import java.io.Serializable;
import java.time.Duration;

/**
 * What each inference subtask needs to build its own scorer in {@code open()}; plain values because
 * Flink ships operators to the task managers by Java serialization.
 *
 * @param loadTimeoutMillis   how long a subtask waits in {@code open()} for its models to become available
 * @param resultTimeoutMillis how long a micro-batch waits for its results (then DEADLINE_EXCEEDED results)
 */
public record InferenceSettings(String modelPath, String modelName, int batchSize, long batchTimeoutMillis,
                                int threadPerModel, long modelPollSeconds, PostProcessing postProcessing,
                                long loadTimeoutMillis, long resultTimeoutMillis) implements Serializable {
    public static final long DEFAULT_LOAD_TIMEOUT_MILLIS = 120_000;

    public static InferenceSettings from(ClusterServingConfig c) {
        return new InferenceSettings(c.modelPath(), c.modelName(), c.batchSize(), c.batchTimeoutMillis(),
                c.threadPerModel(), c.modelPollSeconds(), c.postProcessing(), DEFAULT_LOAD_TIMEOUT_MILLIS,
                c.resultTimeoutMillis());
    }

    public Duration resultTimeout() {
        return Duration.ofMillis(resultTimeoutMillis);
    }

    public Duration loadTimeout() {
        return Duration.ofMillis(loadTimeoutMillis);
    }
}
