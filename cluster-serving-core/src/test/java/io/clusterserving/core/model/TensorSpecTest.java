package io.clusterserving.core.model;

import io.clusterserving.core.tensor.DataType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TensorSpecTest {
    private static TensorSpec spec(long... shape) {
        return new TensorSpec("x", DataType.FP32, shape);
    }

    @Test
    void freeInnerDimensions() {
        assertThat(spec(-1, 128).hasFreeInnerDims()).as("only the batch dimension free").isFalse();
        assertThat(spec(3, 4).hasFreeInnerDims()).as("all fixed").isFalse();
        assertThat(spec().hasFreeInnerDims()).as("a scalar").isFalse();
        assertThat(spec(-1).hasFreeInnerDims()).as("rank 1").isFalse();
        assertThat(spec(-1, 128, -1).hasFreeInnerDims()).as("a free last dimension").isTrue();
        assertThat(spec(2, -1).hasFreeInnerDims()).isTrue();
        assertThat(new TensorSpec("x", DataType.FP32, null).hasFreeInnerDims()).as("unknown rank").isTrue();
    }
}
