package io.clusterserving.core.model;

import io.clusterserving.core.tensor.DataType;

import java.util.Arrays;

/**
 * A signature's input or output: name, dtype and shape, -1 marking a free dimension. A null shape
 * means the rank itself is unknown (TF's {@code unknown_rank}).
 */
public record TensorSpec(String name, DataType dtype, long[] shape) {
    public TensorSpec {
        shape = shape == null ? null : shape.clone();
    }

    @Override
    public long[] shape() {
        return shape == null ? null : shape.clone();
    }

    public boolean hasKnownRank() {
        return shape != null;
    }

    /** True when dimension 0 exists and is free, i.e. the tensor can be batched along it. */
    public boolean isBatchable() {
        return shape != null && shape.length > 0 && shape[0] == -1;
    }

    /** True when the rank is unknown or a dimension after the 0th is free: rows may differ in shape. */
    public boolean hasFreeInnerDims() {
        if (shape == null) {
            return true;
        }
        for (int d = 1; d < shape.length; d++) {
            if (shape[d] < 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + dtype.hashCode()) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ":" + dtype + (shape == null ? "[?]" : Arrays.toString(shape));
    }
}
