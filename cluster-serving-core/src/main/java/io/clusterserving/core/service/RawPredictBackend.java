package io.clusterserving.core.service;

import io.clusterserving.core.model.ModelSpec;

import java.util.concurrent.CompletableFuture;

/**
 * A service that predicts on REST request bodies as they arrived, without decoding them into tensors
 * here: a frontend over a queue has no models (so no signatures to decode against) and forwards the
 * body to the workers that do. A REST frontend whose {@link InferenceService} also implements this
 * routes predict calls here and answers the returned body verbatim. The body says which REST API it
 * belongs to (TF Serving or V2), as a queue entry must: the worker reads it with the one predict body
 * codec of cluster-serving-protocol.
 */
public interface RawPredictBackend {

    /**
     * Predicts on {@code body} for {@code spec} and completes with the JSON response body (HTTP 200), or
     * fails with a {@link io.clusterserving.core.error.ServingException} whose code the frontend maps
     * to its HTTP status (INVALID_ARGUMENT 400 for a bad body, DEADLINE_EXCEEDED 504 when no answer
     * came in time, ...).
     */
    CompletableFuture<byte[]> predictRaw(ModelSpec spec, byte[] body);
}
