package io.clusterserving.core.service;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.Example;
import io.clusterserving.core.model.ModelSpec;

import java.util.List;

/**
 * TF Serving's ClassificationRequest: examples (with an optional context merged into each, as
 * {@code ExampleListWithContext} does) for a classify signature.
 *
 * @param context features common to every example, or null
 */
public record ClassifyRequest(ModelSpec model, List<Example> examples, Example context) {
    public ClassifyRequest {
        if (model == null) {
            throw ServingException.invalidArgument("classify request has no model spec");
        }
        examples = examples == null ? List.of() : List.copyOf(examples);
    }
}
