package io.clusterserving.core.batching;

import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which requests of one version may share a model run: those with the same signature and output filter
 * and, for signatures with free dimensions beyond the first (or unknown rank), the same inner shape.
 *
 * @param innerShapes null (the common case) when dimension 0 is the only free one
 */
public record BatchKey(String signature, Set<String> outputFilter, String innerShapes) {

    /** The key of a request whose inputs were validated against {@code signature}. */
    public static BatchKey of(String signatureName, Signature signature, Set<String> outputFilter,
                              Map<String, Tensor> inputs) {
        return new BatchKey(signatureName, outputFilter, innerShapes(signature, inputs));
    }

    private static String innerShapes(Signature signature, Map<String, Tensor> inputs) {
        if (signature == null || !hasFreeInnerDims(signature.inputs())) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (TensorSpec spec : signature.inputs()) {
            Tensor t = inputs.get(spec.name());
            key.append(spec.name()).append(':');
            if (t != null) {
                for (int d = 1; d < t.rank(); d++) {
                    key.append(t.dim(d)).append(',');
                }
            }
            key.append(';');
        }
        return key.toString();
    }

    private static boolean hasFreeInnerDims(List<TensorSpec> inputs) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).hasFreeInnerDims()) {
                return true;
            }
        }
        return false;
    }
}
