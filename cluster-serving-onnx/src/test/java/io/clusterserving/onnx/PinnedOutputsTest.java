package io.clusterserving.onnx;

import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PinnedOutputsTest {
    private static final TensorSpec ROWS = new TensorSpec("y", DataType.FP32, new long[] {-1, 128});
    private static final TensorSpec FIXED = new TensorSpec("z", DataType.INT64, new long[] {3});
    private static final TensorSpec TEXT = new TensorSpec("s", DataType.BYTES, new long[] {-1});
    private static final TensorSpec RAGGED = new TensorSpec("r", DataType.FP32, new long[] {-1, -1});

    private static Map<String, Tensor> batchOf(int rows) {
        return Map.of("x", Tensor.ofFloats(new long[] {rows, 128}, new float[rows * 128]));
    }

    @Test
    void shapesFollowTheInputsBatch() {
        PinnedOutputs pinned = new PinnedOutputs(List.of(ROWS, FIXED));
        List<PinnedOutputs.Pin> pins = pinned.pinsFor(new LinkedHashSet<>(List.of("y", "z")), batchOf(5));
        assertThat(pins).extracting(PinnedOutputs.Pin::name).containsExactly("y", "z");
        assertThat(pins.get(0).shape()).containsExactly(5, 128);
        assertThat(pins.get(0).bytes()).isEqualTo(5 * 128 * 4);
        assertThat(pins.get(0).dtype()).isEqualTo(DataType.FP32);
        assertThat(pins.get(1).shape()).containsExactly(3);
        assertThat(pins.get(1).bytes()).isEqualTo(3 * 8);
    }

    @Test
    void outputsOverTheReusedBufferSizeAreNotPinned() {
        PinnedOutputs pinned = new PinnedOutputs(List.of(ROWS));
        int fits = (int) (PinnedOutputs.MAX_BYTES / (128 * 4));
        assertThat(pinned.pinsFor(Set.of("y"), batchOf(fits))).isNotNull();
        assertThat(pinned.pinsFor(Set.of("y"), batchOf(fits + 1))).isNull();
        assertThat(pinned.enabled()).isTrue();
    }

    @Test
    void callsThatCannotBePinned() {
        PinnedOutputs pinned = new PinnedOutputs(List.of(ROWS, TEXT, RAGGED));
        assertThat(pinned.pinsFor(Set.of("y", "s"), batchOf(2))).as("a BYTES output").isNull();
        assertThat(pinned.pinsFor(Set.of("r"), batchOf(2))).as("a free inner dimension").isNull();
        assertThat(pinned.pinsFor(Set.of("y"), batchOf(0))).as("an empty batch").isNull();
        assertThat(pinned.pinsFor(Set.of("y"), Map.of(
                "a", Tensor.ofFloats(new long[] {2}, 1f, 2f),
                "b", Tensor.ofFloats(new long[] {3}, 1f, 2f, 3f)))).as("inputs of different batch sizes").isNull();
        assertThat(pinned.pinsFor(Set.of("y"), Map.of("a", Tensor.ofFloats(new long[0], 1f)))).as("a scalar input")
                .isNull();
        assertThat(pinned.pinsFor(Set.of("y"), batchOf(2))).isNotNull();
        pinned.disable();
        assertThat(pinned.pinsFor(Set.of("y"), batchOf(2))).as("after disable").isNull();
    }

    @Test
    void aModelWithNothingToPinStartsDisabled() {
        assertThat(new PinnedOutputs(List.of(TEXT, RAGGED)).enabled()).isFalse();
    }
}
