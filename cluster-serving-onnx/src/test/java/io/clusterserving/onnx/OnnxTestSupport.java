package io.clusterserving.onnx;

import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.tensor.Tensor;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

/** Loads models the way the server does: the format found by ServiceLoader, one version directory. */
final class OnnxTestSupport {
    private OnnxTestSupport() {
    }

    static ModelFormat onnxFormat() {
        return ServiceLoader.load(ModelFormat.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("onnx"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ModelFormat named onnx on the class path"));
    }

    static LoadedModel load(Path repository, String name) throws Exception {
        return onnxFormat().load(ModelFiles.find(onnxFormat(), repository.resolve(name).resolve("1")),
                new LoadContext(name, 1, 1, 1, Map.of()));
    }

    static float[] floats(Tensor t) {
        float[] out = new float[Math.toIntExact(t.elementCount())];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloat(i);
        }
        return out;
    }

    /** Row-major [rows, cols] floats, deterministic per seed, in [-1, 1). */
    static float[] inputRows(long seed, int rows, int cols) {
        java.util.Random r = new java.util.Random(seed);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return x;
    }
}
