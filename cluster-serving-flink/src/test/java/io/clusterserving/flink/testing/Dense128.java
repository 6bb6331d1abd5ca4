package io.clusterserving.flink.testing;

import io.clusterserving.onnx.build.Dense128Reference;

/** dense128 recomputed in plain Java ({@link Dense128Reference}), for the job tests. */
public final class Dense128 {
    private static final Dense128Reference REFERENCE = Dense128Reference.seeded();

    private Dense128() {
    }

    public static float[] predict(float[] x) {
        return REFERENCE.predict(x);
    }

    /** A deterministic input row for request {@code n}. */
    public static float[] input(int n) {
        return Dense128Reference.input(n);
    }
}
