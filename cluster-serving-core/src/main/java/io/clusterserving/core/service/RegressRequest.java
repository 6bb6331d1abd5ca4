package io.clusterserving.core.service;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.Example;
import io.clusterserving.core.model.ModelSpec;

import java.util.List;

/**
 * TF Serving's RegressionRequest: examples (with an optional context merged into each) for a regress
 * signature.
 *
 * @param context features common to every example, or null
 */
public record RegressRequest(ModelSpec model, List<Example> examples, Example context) {
    public RegressRequest {
        if (model == null) {
            throw ServingException.invalidArgument("regress request has no model spec");
        }
        examples = examples == null ? List.of() : List.copyOf(examples);
    }
}
