package io.clusterserving.core.model;

import io.clusterserving.core.error.ServingException;

import java.util.List;
import java.util.Optional;

/**
 * A named entry point of a model: its method (TF Serving's method names), inputs and outputs in the
 * model's order.
 */
public record Signature(String name, String methodName, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    /** TF Serving's default signature key. */
    public static final String DEFAULT_NAME = "serving_default";
    public static final String PREDICT_METHOD = "tensorflow/serving/predict";
    public static final String CLASSIFY_METHOD = "tensorflow/serving/classify";
    public static final String REGRESS_METHOD = "tensorflow/serving/regress";

    public Signature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<TensorSpec> input(String inputName) {
        return inputs.stream().filter(s -> s.name().equals(inputName)).findFirst();
    }

    public Optional<TensorSpec> output(String outputName) {
        return outputs.stream().filter(s -> s.name().equals(outputName)).findFirst();
    }

    /** Batching splits along dim 0, so every input and output must have a free dim 0. */
    public boolean isBatchable() {
        return !inputs.isEmpty() && inputs.stream().allMatch(TensorSpec::isBatchable)
                && outputs.stream().allMatch(TensorSpec::isBatchable);
    }

    /**
     * For a model whose only signature this is: checks that a call naming {@code requested} (null or
     * empty for the default) may run it.
     *
     * @throws ServingException FAILED_PRECONDITION in TF Serving's words when it names another
     */
    public void checkSoleSignatureNamed(String requested) {
        if (requested != null && !requested.isEmpty() && !requested.equals(name)) {
            throw ServingException.failedPrecondition("Serving signature key \"%s\" not found.", requested);
        }
    }
}
