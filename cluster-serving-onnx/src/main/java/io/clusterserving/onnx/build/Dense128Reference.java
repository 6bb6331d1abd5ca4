package io.clusterserving.onnx.build;

/**
 * {@link ExampleModels#dense128} recomputed in plain Java, y = relu(x·W + b), from the same seeded
 * weights the model file holds: the reference every test that scores dense128 compares with.
 */
public final class Dense128Reference {
    private static final int WIDTH = 128;

    private final float[] weights;
    private final float[] bias;

    private Dense128Reference(float[] weights, float[] bias) {
        this.weights = weights;
        this.bias = bias;
    }

    /** The weights {@link ExampleModels#dense128} writes. */
    public static Dense128Reference seeded() {
        return new Dense128Reference(
                ExampleModels.seededFloats(ExampleModels.DENSE128_SEED, WIDTH * WIDTH, 0.1f),
                ExampleModels.seededFloats(ExampleModels.DENSE128_SEED + 1, WIDTH, 0.1f));
    }

    public float[] predict(float[] x) {
        float[] y = new float[WIDTH];
        for (int j = 0; j < WIDTH; j++) {
            double sum = bias[j];
            for (int i = 0; i < WIDTH; i++) {
                sum += (double) x[i] * weights[i * WIDTH + j];
            }
            y[j] = (float) Math.max(0, sum);
        }
        return y;
    }

    /** A deterministic input row for request {@code n}. */
    public static float[] input(int n) {
        float[] x = new float[WIDTH];
        for (int i = 0; i < WIDTH; i++) {
            x[i] = ((n * 31 + i * 7) % 97) / 97f - 0.5f;
        }
        return x;
    }
}
