package io.clusterserving.core.testing;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.Classification;
import io.clusterserving.core.model.Example;
import io.clusterserving.core.model.Feature;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.ModelFormat;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.model.VersionListing;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny real model format for core tests: a version directory holding {@code model.lin} with
 * "scale offset [knobs]" computes {@code y = scale * x + offset} on FP32 tensors.
 *
 * <p>Knobs: {@code corrupt} (load fails), {@code slow-load=MS}, {@code slow-predict=MS}, {@code cols=K}
 * (inputs are [-1, K] instead of [-1]), {@code gated-load} / {@code gated-predict} (block until the test
 * opens {@link #loadGate} / {@link #predictGate}), {@code lenient} (strictShapes() is false, as for
 * TensorFlow; any shape is scaled element-wise). Regress answers scale * x + offset for the float feature
 * "x" of each example; classify answers labels "high"/"low" with scores (y, 1 - y). Signatures: {@code serving_default} (x → y),
 * {@code two} (x → neg, y), {@code fixed} (x of shape [2] → y, not batchable), {@code pair} (x, w → y =
 * scale * x + w). An input holding NaN is rejected with INVALID_ARGUMENT, like a runtime rejecting a bad
 * row; an infinite input makes predict throw a plain IllegalStateException (a runtime's internal error).
 * Outputs come back in reverse signature order, so callers must not rely on the model's order.
 */
public final class LinearFormat implements ModelFormat {
    /** Rows of every predict call, in order. */
    public final Queue<Long> predictRows = new ConcurrentLinkedQueue<>();
    /** Load attempts per version directory name. */
    public final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
    public final AtomicInteger closes = new AtomicInteger();
    public final AtomicInteger openModels = new AtomicInteger();
    public volatile CountDownLatch loadGate = new CountDownLatch(0);
    public volatile CountDownLatch predictGate = new CountDownLatch(0);
    /** Released once per predict call that reached a gate. */
    public final Semaphore atPredictGate = new Semaphore(0);
    public final Semaphore atLoadGate = new Semaphore(0);

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String describePattern() {
        return "*.lin";
    }

    @Override
    public List<Path> candidates(VersionListing listing) {
        return listing.files(name -> name.endsWith(".lin"));
    }

    public int loadsOf(long version) {
        AtomicInteger n = loads.get(Long.toString(version));
        return n == null ? 0 : n.get();
    }

    @Override
    public LoadedModel load(ModelFiles files, LoadContext context) throws Exception {
        Path versionDir = files.versionDir();
        loads.computeIfAbsent(versionDir.getFileName().toString(), k -> new AtomicInteger()).incrementAndGet();
        String text = Files.readString(files.files().get(0)).trim();
        String[] words = text.split("\\s+");
        if (text.contains("corrupt")) {
            throw new IOException("corrupt model file in " + versionDir);
        }
        float scale = Float.parseFloat(words[0]);
        float offset = Float.parseFloat(words[1]);
        long slowLoad = 0;
        long slowPredict = 0;
        long cols = -1;
        boolean gatedPredict = false;
        boolean lenient = false;
        for (int i = 2; i < words.length; i++) {
            String w = words[i];
            if (w.startsWith("slow-load=")) {
                slowLoad = Long.parseLong(w.substring(10));
            } else if (w.startsWith("slow-predict=")) {
                slowPredict = Long.parseLong(w.substring(13));
            } else if (w.startsWith("cols=")) {
                cols = Long.parseLong(w.substring(5));
            } else if (w.equals("gated-load")) {
                atLoadGate.release();
                if (!loadGate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("load gate never opened");
                }
            } else if (w.equals("gated-predict")) {
                gatedPredict = true;
            } else if (w.equals("lenient")) {
                lenient = true;
            }
        }
        if (slowLoad > 0) {
            Thread.sleep(slowLoad);
        }
        openModels.incrementAndGet();
        return new LinearModel(scale, offset, cols, slowPredict, gatedPredict, lenient);
    }

    public final class LinearModel implements LoadedModel {
        private final float scale;
        private final float offset;
        private final long slowPredictMillis;
        private final boolean gatedPredict;
        private final boolean lenient;
        private final Map<String, Signature> signatures = new LinkedHashMap<>();
        public volatile boolean closed;

        LinearModel(float scale, float offset, long cols, long slowPredictMillis, boolean gatedPredict,
                    boolean lenient) {
            this.lenient = lenient;
            this.scale = scale;
            this.offset = offset;
            this.slowPredictMillis = slowPredictMillis;
            this.gatedPredict = gatedPredict;
            long[] shape = cols < 0 ? new long[]{-1} : new long[]{-1, cols};
            TensorSpec x = new TensorSpec("x", DataType.FP32, shape);
            TensorSpec y = new TensorSpec("y", DataType.FP32, shape);
            signatures.put(Signature.DEFAULT_NAME, new Signature(Signature.DEFAULT_NAME, Signature.PREDICT_METHOD,
                    List.of(x), List.of(y)));
            signatures.put("two", new Signature("two", Signature.PREDICT_METHOD, List.of(x),
                    List.of(new TensorSpec("neg", DataType.FP32, shape), y)));
            signatures.put("fixed", new Signature("fixed", Signature.PREDICT_METHOD,
                    List.of(new TensorSpec("x", DataType.FP32, new long[]{2})),
                    List.of(new TensorSpec("y", DataType.FP32, new long[]{2}))));
            signatures.put("pair", new Signature("pair", Signature.PREDICT_METHOD,
                    List.of(x, new TensorSpec("w", DataType.FP32, shape)), List.of(y)));
        }

        public float scale() {
            return scale;
        }

        @Override
        public Map<String, Signature> signatures() {
            return signatures;
        }

        @Override
        public Map<String, Tensor> predict(String signatureName, Map<String, Tensor> inputs, Set<String> outputFilter) {
            if (closed) {
                throw new IllegalStateException("predict on a closed model");
            }
            Tensor x = inputs.get("x");
            predictRows.add(x.rows());
            if (gatedPredict) {
                atPredictGate.release();
                try {
                    if (!predictGate.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("predict gate never opened");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (slowPredictMillis > 0) {
                try {
                    Thread.sleep(slowPredictMillis);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            long n = x.elementCount();
            float[] y = new float[(int) n];
            float[] neg = new float[(int) n];
            long perRow = x.rows() == 0 ? 1 : n / x.rows();
            Tensor w = inputs.get("w");
            for (int i = 0; i < n; i++) {
                float v = x.getFloat(i);
                if (Float.isNaN(v)) {
                    throw ServingException.invalidArgument("input 'x' holds NaN at row %d", i / perRow);
                }
                if (Float.isInfinite(v)) {
                    throw new IllegalStateException("runtime cannot handle infinity");
                }
                y[i] = scale * v + (w == null ? offset : w.getFloat(i));
                neg[i] = -v;
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(signatures.get(signatureName).outputs().stream()
                    .map(TensorSpec::name).toList());
            java.util.Collections.reverse(names);
            for (String name : names) {
                if (outputFilter.isEmpty() || outputFilter.contains(name)) {
                    out.put(name, Tensor.ofFloats(x.shape(), name.equals("neg") ? neg : y));
                }
            }
            return out;
        }

        @Override
        public boolean strictShapes() {
            return !lenient;
        }

        @Override
        public List<Float> regress(String signatureName, List<Example> examples, Example context) {
            List<Float> out = new ArrayList<>();
            for (Example e : examples) {
                out.add(scale * featureX(e, context) + offset);
            }
            return out;
        }

        @Override
        public List<List<Classification>> classify(String signatureName, List<Example> examples, Example context) {
            List<List<Classification>> out = new ArrayList<>();
            for (Example e : examples) {
                float y = scale * featureX(e, context) + offset;
                out.add(List.of(new Classification("high", y), new Classification("low", 1 - y)));
            }
            return out;
        }

        private static float featureX(Example e, Example context) {
            Feature f = e.features().get("x");
            if (f == null && context != null) {
                f = context.features().get("x");
            }
            if (!(f instanceof Feature.FloatList floats) || floats.size() != 1) {
                throw ServingException.invalidArgument("feature 'x' must be one float, got %s", f);
            }
            return floats.get(0);
        }

        @Override
        public void close() {
            if (closed) {
                throw new IllegalStateException("closed twice");
            }
            closed = true;
            closes.incrementAndGet();
            openModels.decrementAndGet();
        }
    }
}
