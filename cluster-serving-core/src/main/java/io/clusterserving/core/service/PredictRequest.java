package io.clusterserving.core.service;

import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.tensor.Tensor;

import java.util.Map;
import java.util.Set;

/**
 * @param outputFilter outputs to return; empty means all of the signature's outputs
 */
public record PredictRequest(ModelSpec model, InputDecoder inputs, Set<String> outputFilter) {
    public PredictRequest {
        outputFilter = outputFilter == null ? Set.of() : Set.copyOf(outputFilter);
    }

    public static PredictRequest of(ModelSpec model, Map<String, Tensor> inputs) {
        return new PredictRequest(model, InputDecoder.of(inputs), Set.of());
    }
}
