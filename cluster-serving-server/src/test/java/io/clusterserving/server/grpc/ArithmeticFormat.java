package io.clusterserving.server.grpc;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.Classification;
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
import io.clusterserving.core.tensor.TensorBuilder;
import io.clusterserving.protocol.grpc.tensorflow.Example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real model format for tests, computed in Java: a version directory holding {@code <kind>.arith}
 * loads one of these models:
 * <ul>
 *   <li>{@code half_plus_two}: x FP32 [-1] → y = 0.5x + 2 (the TF Serving example), plus a signature
 *       "upper" (s BYTES [-1] → u BYTES [-1], upper-cased);</li>
 *   <li>{@code slow_half_plus_two}: the same after 400 ms;</li>
 *   <li>{@code example_scorer}: classify ("serving_default") and regress ("regress") signatures over
 *       serialized tf.Examples with a float feature "x" — by predict on the serialized examples, and by
 *       classify/regress on Examples (classes pos = x, neg = 1 - x; regression 0.5x + 2).</li>
 * </ul>
 * It counts predictions per model name, so tests can tell whether a model ran.
 */
public final class ArithmeticFormat implements ModelFormat {
    public final Map<String, AtomicInteger> predictions = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "arith";
    }

    @Override
    public String describePattern() {
        return "*.arith";
    }

    @Override
    public List<Path> candidates(VersionListing listing) {
        return listing.files(name -> name.endsWith(".arith"));
    }

    @Override
    public LoadedModel load(ModelFiles files, LoadContext context) throws Exception {
        String file = files.files().get(0).getFileName().toString();
        String kind = file.substring(0, file.length() - ".arith".length());
        AtomicInteger counter = predictions.computeIfAbsent(context.modelName(), k -> new AtomicInteger());
        return switch (kind) {
            case "half_plus_two" -> new HalfPlusTwo(counter, 0);
            case "slow_half_plus_two" -> new HalfPlusTwo(counter, 400);
            case "example_scorer" -> new ExampleScorer(counter);
            default -> throw ServingException.invalidArgument("unknown arith model kind '%s'", kind);
        };
    }

    /** Writes {@code <base>/<model>/<version>/<kind>.arith} and returns {@code <base>/<model>}. */
    public static Path writeModel(Path base, String model, long version, String kind) throws IOException {
        Path dir = Files.createDirectories(base.resolve(model).resolve(Long.toString(version)));
        Files.writeString(dir.resolve(kind + ".arith"), kind);
        return base.resolve(model);
    }

    private static Map<String, Tensor> filter(Map<String, Tensor> all, Set<String> outputFilter) {
        if (outputFilter.isEmpty()) {
            return all;
        }
        Map<String, Tensor> out = new LinkedHashMap<>(all);
        out.keySet().retainAll(outputFilter);
        return out;
    }

    private record HalfPlusTwo(AtomicInteger counter, long delayMs) implements LoadedModel {
        @Override
        public Map<String, Signature> signatures() {
            return Map.of(
                    Signature.DEFAULT_NAME, new Signature(Signature.DEFAULT_NAME, Signature.PREDICT_METHOD,
                            List.of(new TensorSpec("x", DataType.FP32, new long[] {-1})),
                            List.of(new TensorSpec("y", DataType.FP32, new long[] {-1}),
                                    new TensorSpec("x_doubled", DataType.FP64, new long[] {-1}))),
                    "upper", new Signature("upper", Signature.PREDICT_METHOD,
                            List.of(new TensorSpec("s", DataType.BYTES, new long[] {-1})),
                            List.of(new TensorSpec("u", DataType.BYTES, new long[] {-1}))));
        }

        @Override
        public Map<String, Tensor> predict(String signatureName, Map<String, Tensor> inputs, Set<String> filter) {
            counter.incrementAndGet();
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (signatureName.equals("upper")) {
                Tensor s = inputs.get("s");
                List<String> up = new ArrayList<>();
                for (long i = 0; i < s.elementCount(); i++) {
                    up.add(s.getString(i).toUpperCase(Locale.ROOT));
                }
                return Map.of("u", Tensor.ofStrings(s.shape(), up));
            }
            Tensor x = inputs.get("x");
            TensorBuilder y = Tensor.builder(DataType.FP32, x.shape());
            TensorBuilder d = Tensor.builder(DataType.FP64, x.shape());
            for (long i = 0; i < x.elementCount(); i++) {
                y.putDouble(0.5f * x.getFloat(i) + 2f);
                d.putDouble(2.0 * x.getFloat(i));
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("y", y.build());
            out.put("x_doubled", d.build());
            return filter(out, filter);
        }

        @Override
        public void close() {
        }
    }

    private record ExampleScorer(AtomicInteger counter) implements LoadedModel {
        @Override
        public Map<String, Signature> signatures() {
            List<TensorSpec> in = List.of(new TensorSpec("inputs", DataType.BYTES, new long[] {-1}));
            return Map.of(
                    Signature.DEFAULT_NAME, new Signature(Signature.DEFAULT_NAME, Signature.CLASSIFY_METHOD, in,
                            List.of(new TensorSpec("classes", DataType.BYTES, new long[] {-1, 2}),
                                    new TensorSpec("scores", DataType.FP32, new long[] {-1, 2}))),
                    "regress", new Signature("regress", Signature.REGRESS_METHOD, in,
                            List.of(new TensorSpec("outputs", DataType.FP32, new long[] {-1}))));
        }

        @Override
        public Map<String, Tensor> predict(String signatureName, Map<String, Tensor> inputs, Set<String> filter) {
            counter.incrementAndGet();
            Tensor serialized = inputs.get("inputs");
            int n = (int) serialized.elementCount();
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                try {
                    x[i] = Example.parseFrom(serialized.getBytes(i)).getFeatures().getFeatureOrThrow("x")
                            .getFloatList().getValue(0);
                } catch (Exception e) {
                    throw ServingException.invalidArgument("example %d has no float feature 'x': %s", i, e);
                }
            }
            if (signatureName.equals("regress")) {
                float[] y = new float[n];
                for (int i = 0; i < n; i++) {
                    y[i] = 0.5f * x[i] + 2f;
                }
                return Map.of("outputs", Tensor.ofFloats(new long[] {n}, y));
            }
            List<String> classes = new ArrayList<>();
            float[] scores = new float[2 * n];
            for (int i = 0; i < n; i++) {
                classes.add("pos");
                classes.add("neg");
                scores[2 * i] = x[i];
                scores[2 * i + 1] = 1 - x[i];
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("classes", Tensor.ofStrings(new long[] {n, 2}, classes));
            out.put("scores", Tensor.ofFloats(new long[] {n, 2}, scores));
            return filter(out, filter);
        }

        @Override
        public List<List<Classification>> classify(String signatureName, List<io.clusterserving.core.model.Example>
                examples, io.clusterserving.core.model.Example context) {
            counter.incrementAndGet();
            List<List<Classification>> out = new ArrayList<>();
            for (var e : examples) {
                float x = x(e, context);
                out.add(List.of(new Classification("pos", x), new Classification("neg", 1 - x)));
            }
            return out;
        }

        @Override
        public List<Float> regress(String signatureName, List<io.clusterserving.core.model.Example> examples,
                                   io.clusterserving.core.model.Example context) {
            counter.incrementAndGet();
            List<Float> out = new ArrayList<>();
            for (var e : examples) {
                out.add(0.5f * x(e, context) + 2f);
            }
            return out;
        }

        /** Feature "x" of the example, else of the context (the example's own feature wins). */
        private static float x(io.clusterserving.core.model.Example e, io.clusterserving.core.model.Example context) {
            Feature f = e.features().get("x");
            if (f == null && context != null) {
                f = context.features().get("x");
            }
            if (!(f instanceof Feature.FloatList floats) || floats.size() != 1) {
                throw ServingException.invalidArgument("example has no single float feature 'x': %s", f);
            }
            return floats.get(0);
        }

        @Override
        public void close() {
        }
    }
}
