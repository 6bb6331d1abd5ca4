package io.clusterserving.flink.sql.provider;

import io.clusterserving.flink.sql.session.ModelSessionSettings;

import java.io.Serializable;

/**
 * Everything a predict function needs on a task: the model, and the model's INPUT/OUTPUT columns.
 *
 * @param asyncThreads threads running inferences for the asynchronous function in each task
 */
public record ProviderSettings(String catalogName, ModelSessionSettings model, ModelColumns inputs, ModelColumns outputs,
                               int asyncThreads) implements Serializable {
}
