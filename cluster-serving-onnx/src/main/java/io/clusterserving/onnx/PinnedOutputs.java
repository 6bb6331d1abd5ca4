package io.clusterserving.onnx;

import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which outputs can be handed to ONNX Runtime pre-allocated, and their shapes for one call.
 *
 * <p>Why: with pre-allocated outputs ORT's Java binding does not build result objects over JNI, which
 * for a small model is a large part of the call. An output qualifies when its declared shape is fixed
 * but for a free 0th dimension, which is guessed to be the inputs' batch size. Calls with an output
 * over {@link #MAX_BYTES} are left to ORT: the pre-allocated memory comes from the per-thread
 * buffers ({@link DirectScratch}), and a fresh native allocation per call costs more than the JNI
 * work it saves. A guess proven wrong — the run fails with the outputs pinned and succeeds without —
 * turns pinning off for the model ({@link #disable}); a call that fails both ways is the input's
 * fault and changes nothing.
 */
final class PinnedOutputs {
    /** The largest output pre-allocated: what the per-thread buffers keep for one output. */
    static final long MAX_BYTES = DirectScratch.MAX_REUSED;

    private final Map<String, TensorSpec> pinnable = new HashMap<>();
    private volatile boolean enabled;

    PinnedOutputs(List<TensorSpec> outputs) {
        for (TensorSpec spec : outputs) {
            if (OrtTensors.canPin(spec.dtype()) && !spec.hasFreeInnerDims()) {
                pinnable.put(spec.name(), spec);
            }
        }
        enabled = !pinnable.isEmpty();
    }

    /** One output to pre-allocate for a call: {@code bytes} = its shape's element count x dtype size. */
    record Pin(String name, DataType dtype, long[] shape, int bytes) {
    }

    /**
     * The outputs to pre-allocate for this call, in {@code requested}'s order, or null when it cannot
     * be pinned (pinning off, an output that does not qualify, inputs without one common batch size).
     */
    List<Pin> pinsFor(Set<String> requested, Map<String, Tensor> inputs) {
        if (!enabled) {
            return null;
        }
        long batch = -1;
        for (Tensor t : inputs.values()) {
            if (t.rank() == 0 || (batch >= 0 && t.dim(0) != batch)) {
                return null;
            }
            batch = t.dim(0);
        }
        if (batch <= 0) {
            return null;
        }
        List<Pin> pins = new ArrayList<>(requested.size());
        for (String name : requested) {
            TensorSpec spec = pinnable.get(name);
            if (spec == null) {
                return null;
            }
            long[] shape = spec.shape();
            if (shape.length > 0 && shape[0] < 0) {
                shape[0] = batch;
            }
            long size = Tensor.elementCount(shape) * spec.dtype().byteSize();
            if (size == 0 || size > MAX_BYTES) {
                return null;
            }
            pins.add(new Pin(name, spec.dtype(), shape, (int) size));
        }
        return pins;
    }

    boolean enabled() {
        return enabled;
    }

    void disable() {
        enabled = false;
    }
}
