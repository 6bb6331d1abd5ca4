package io.clusterserving.server.http;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.manager.VersionState;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.service.InferenceService;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.service.PredictRequest;
import io.clusterserving.core.service.PredictResult;
import io.clusterserving.core.stats.ServingStats;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small real InferenceService computing in plain Java, for HTTP tests that must not depend on a
 * model runtime: half_plus_two (y = 0.5x + 2), pair (two inputs, two outputs), stalled (never
 * answers) and busy (always RESOURCE_EXHAUSTED).
 */
final class JavaModelsService implements InferenceService {
    static final Signature HALF_PLUS_TWO = new Signature(Signature.DEFAULT_NAME, Signature.PREDICT_METHOD,
            List.of(new TensorSpec("x", DataType.FP32, new long[] {-1})),
            List.of(new TensorSpec("y", DataType.FP32, new long[] {-1})));
    static final Signature PAIR = new Signature(Signature.DEFAULT_NAME, Signature.PREDICT_METHOD,
            List.of(new TensorSpec("a", DataType.FP32, new long[] {-1, 2}), new TensorSpec("b", DataType.INT64, new long[] {-1})),
            List.of(new TensorSpec("sum", DataType.FP32, new long[] {-1}), new TensorSpec("b_twice", DataType.INT64, new long[] {-1})));
    private static final List<String> MODELS = List.of("busy", "half_plus_two", "pair", "stalled");
    private final Instant started = Instant.now();
    private final AtomicLong invocations = new AtomicLong();

    @Override
    public CompletableFuture<PredictResult> predict(PredictRequest request) {
        ModelSpec spec = request.model();
        check(spec);
        invocations.incrementAndGet();
        switch (spec.name()) {
            case "stalled":
                return new CompletableFuture<>();
            case "busy":
                throw ServingException.resourceExhausted("the batch queue of model 'busy' is full");
            default:
                break;
        }
        Signature sig = signature(spec.name());
        if (spec.signatureName() != null && !spec.signatureName().equals(sig.name())) {
            throw ServingException.invalidArgument("model '%s' has no signature '%s'", spec.name(), spec.signatureName());
        }
        Map<String, Tensor> in = request.inputs().decode(sig);
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (spec.name().equals("half_plus_two")) {
            Tensor x = in.get("x");
            float[] y = new float[(int) x.elementCount()];
            for (int i = 0; i < y.length; i++) {
                y[i] = 0.5f * x.getFloat(i) + 2f;
            }
            out.put("y", Tensor.ofFloats(x.shape(), y));
        } else {
            Tensor a = in.get("a");
            Tensor b = in.get("b");
            int n = (int) b.elementCount();
            if (a.rank() != 2 || a.dim(0) != n || a.dim(1) != 2) {
                throw ServingException.invalidArgument("input 'a' must be [%d, 2]", n);
            }
            float[] sum = new float[n];
            long[] twice = new long[n];
            for (int i = 0; i < n; i++) {
                sum[i] = a.getFloat(2L * i) + a.getFloat(2L * i + 1) + b.getLong(i);
                twice[i] = 2 * b.getLong(i);
            }
            if (request.outputFilter().isEmpty() || request.outputFilter().contains("sum")) {
                out.put("sum", Tensor.ofFloats(new long[] {n}, sum));
            }
            if (request.outputFilter().isEmpty() || request.outputFilter().contains("b_twice")) {
                out.put("b_twice", Tensor.ofLongs(new long[] {n}, twice));
            }
        }
        return CompletableFuture.completedFuture(new PredictResult(spec.name(), 1, sig, out));
    }

    @Override
    public ModelMetadata metadata(ModelSpec spec) {
        check(spec);
        return new ModelMetadata(spec.name(), 1, "java", Map.of(Signature.DEFAULT_NAME, signature(spec.name())));
    }

    @Override
    public List<ModelVersionStatus> status(ModelSpec spec) {
        check(spec);
        return List.of(new ModelVersionStatus(spec.name(), 1, VersionState.AVAILABLE, StatusCode.OK, "", "java", started));
    }

    @Override
    public List<String> modelNames() {
        return MODELS;
    }

    @Override
    public List<ServingStats> stats(String modelName) {
        check(ModelSpec.latest(modelName));
        return List.of(new ServingStats(modelName, 1, "plain Java", started, invocations.get(), 0, 3_000_000, 1_000_000,
                2_000_000));
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void close() {
    }

    private static Signature signature(String name) {
        return name.equals("pair") ? PAIR : HALF_PLUS_TWO;
    }

    private static void check(ModelSpec spec) {
        if (!MODELS.contains(spec.name())) {
            throw ServingException.notFound("Servable not found for request: Latest(%s)", spec.name());
        }
        if (spec.version() != null && spec.version() != 1) {
            throw ServingException.notFound("%s is not available", spec.describe());
        }
        if (spec.label() != null && !spec.label().equals("stable")) {
            throw ServingException.notFound("unknown version label '%s' of model '%s'", spec.label(), spec.name());
        }
    }
}
