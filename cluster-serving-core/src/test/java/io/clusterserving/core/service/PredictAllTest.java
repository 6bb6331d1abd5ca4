package io.clusterserving.core.service;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.repository.FormatRegistry;
import io.clusterserving.core.stats.VersionMetrics;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.core.testing.LinearFormat;
import io.clusterserving.core.testing.ModelDirs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link LocalInferenceService#predictAll}: a caller's batch as one model call, without the batcher. */
class PredictAllTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final LinearFormat format = new LinearFormat();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LocalInferenceService service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
    }

    private void serve(Map<String, String> models) {
        List<ModelConfig> configs = new ArrayList<>();
        models.forEach((name, text) -> {
            ModelDirs.writeVersion(dir.resolve(name), 1, text);
            configs.add(ModelConfig.of(name, dir.resolve(name)));
        });
        service = LocalInferenceService.builder().formats(new FormatRegistry(List.of(format))).meterRegistry(registry)
                .fileSystemPollInterval(Duration.ofMillis(50)).maxLoadRetries(0).loadRetryIntervalMicros(0)
                .models(configs).build();
        assertThat(service.awaitReady(WAIT)).isTrue();
    }

    private static PredictRequest request(String model, float... x) {
        return PredictRequest.of(ModelSpec.latest(model), Map.of("x", Tensor.ofFloats(new long[]{x.length}, x)));
    }

    private static PredictRequest request(ModelSpec spec, Map<String, Tensor> inputs) {
        return PredictRequest.of(spec, inputs);
    }

    private static Tensor floats(float... values) {
        return Tensor.ofFloats(new long[]{values.length}, values);
    }

    private static ServingException failure(CompletableFuture<PredictResult> answer) {
        assertThat(answer).isDone();
        return (ServingException) catchThrowableOfType(answer::get, ExecutionException.class).getCause();
    }

    private double requests(String model, StatusCode status) {
        return registry.get(VersionMetrics.REQUESTS).tags("model", model, "status", status.name()).counter().count();
    }

    @Test
    void requestsForOneVersionAndSignatureRunAsOneModelCallAndAreSplitBack() throws Exception {
        serve(Map.of("m", "2 1"));
        List<CompletableFuture<PredictResult>> answers = service.predictAll(List.of(
                request("m", 1f), request("m", 2f, 3f), request("m", 4f)), Runnable::run);

        assertThat(answers).hasSize(3).allSatisfy(a -> assertThat(a).as("ran on the caller's thread").isDone());
        assertThat(format.predictRows).containsExactly(4L);
        assertThat(answers.get(0).get().outputs().get("y")).isEqualTo(floats(3f));
        assertThat(answers.get(1).get().outputs().get("y")).isEqualTo(floats(5f, 7f));
        assertThat(answers.get(2).get().outputs().get("y")).isEqualTo(floats(9f));
        assertThat(answers.get(1).get().version()).isEqualTo(1);
        assertThat(answers.get(1).get().signature().name()).isEqualTo("serving_default");

        // Counted per request, as predict counts them, and every handle is released: the version unloads.
        assertThat(service.stats("m").get(0).invocations()).isEqualTo(3);
        assertThat(requests("m", StatusCode.OK)).isEqualTo(3);
        assertThat(registry.get(VersionMetrics.REQUEST_LATENCY).tags("model", "m", "version", "1").timer().count())
                .isEqualTo(3);
        service.reloadModels(List.of());
        assertThat(service.manager().awaitCondition(() -> format.openModels.get() == 0, WAIT))
                .as("the version unloads once no request holds it").isTrue();
    }

    @Test
    void aBadRequestGetsItsOwnErrorAndItsBatchMatesTheirAnswers() throws Exception {
        serve(Map.of("m", "2 0"));
        List<CompletableFuture<PredictResult>> answers = service.predictAll(List.of(
                request("m", 1f),
                request("m", Float.NaN), // the runtime rejects it inside the merged call
                request(ModelSpec.latest("m"), Map.of("x", Tensor.ofLongs(new long[]{1}, 7L))), // wrong dtype
                request("nope", 1f),
                request("m", 2f, 3f)), Runnable::run);

        assertThat(answers.get(0).get().outputs().get("y")).isEqualTo(floats(2f));
        ServingException nan = failure(answers.get(1));
        assertThat(nan.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
        assertThat(nan.getMessage()).isEqualTo("input 'x' holds NaN at row 0");
        assertThat(failure(answers.get(2)).getMessage()).isEqualTo("input 'x': expected FP32, got INT64");
        assertThat(failure(answers.get(3)).code()).isEqualTo(StatusCode.NOT_FOUND);
        assertThat(answers.get(4).get().outputs().get("y")).isEqualTo(floats(4f, 6f));
        // One merged attempt of the three valid requests, then each alone.
        assertThat(format.predictRows).containsExactly(4L, 1L, 1L, 2L);

        assertThat(service.stats("m").get(0).invocations()).isEqualTo(4);
        assertThat(service.stats("m").get(0).errors()).isEqualTo(2);
        assertThat(requests("m", StatusCode.OK)).isEqualTo(2);
        assertThat(requests("m", StatusCode.INVALID_ARGUMENT)).isEqualTo(2);
        assertThat(requests("", StatusCode.NOT_FOUND)).isEqualTo(1);
    }

    @Test
    void modelsSignaturesAndOutputFiltersEachGetTheirOwnCall() throws Exception {
        serve(Map.of("m", "2 0", "k", "10 0"));
        ModelSpec two = ModelSpec.latest("m").withSignature("two");
        List<CompletableFuture<PredictResult>> answers = service.predictAll(List.of(
                request("m", 1f),
                request("k", 1f),
                request(two, Map.of("x", floats(1f))),
                request("m", 2f),
                new PredictRequest(two, InputDecoder.of(Map.of("x", floats(3f))), Set.of("neg")),
                request(ModelSpec.latest("m").withSignature("fixed"), Map.of("x", floats(1f, 2f))),
                request("k", 3f),
                request(two, Map.of("x", floats(5f)))), Runnable::run);

        assertThat(answers.get(0).get().outputs().get("y")).isEqualTo(floats(2f));
        assertThat(answers.get(1).get().outputs().get("y")).isEqualTo(floats(10f));
        assertThat(answers.get(2).get().outputs()).containsOnlyKeys("neg", "y");
        assertThat(answers.get(3).get().outputs().get("y")).isEqualTo(floats(4f));
        assertThat(answers.get(4).get().outputs()).containsOnlyKeys("neg");
        assertThat(answers.get(4).get().outputs().get("neg")).isEqualTo(floats(-3f));
        assertThat(answers.get(5).get().outputs().get("y")).isEqualTo(floats(2f, 4f));
        assertThat(answers.get(6).get().outputs().get("y")).isEqualTo(floats(30f));
        assertThat(answers.get(7).get().outputs().get("y")).isEqualTo(floats(10f));
        // "fixed" has no free batch dimension and runs alone at once; then one call per group, first come
        // first run: m/serving_default (2 rows), k (2), m/two (2), m/two filtered to neg (1).
        assertThat(format.predictRows).containsExactly(2L, 2L, 2L, 2L, 1L);
        assertThat(service.stats("m").get(0).invocations()).isEqualTo(6);
        assertThat(service.stats("k").get(0).invocations()).isEqualTo(2);
    }

    @Test
    void shapesThatCannotBeConcatenatedFailOrRunAlone() throws Exception {
        serve(Map.of("strict", "2 0 cols=2", "lenient", "2 0 cols=2 lenient"));
        Map<String, Tensor> row = Map.of("x", Tensor.ofFloats(new long[]{1, 2}, 1f, 2f));
        Map<String, Tensor> wide = Map.of("x", Tensor.ofFloats(new long[]{1, 3}, 1f, 2f, 3f));
        ModelSpec strict = ModelSpec.latest("strict");
        ModelSpec lenient = ModelSpec.latest("lenient");
        List<CompletableFuture<PredictResult>> answers = service.predictAll(List.of(
                request(strict, row), request(strict, wide), request(strict, row),
                request(lenient, row), request(lenient, wide), request(lenient, row)), Runnable::run);

        assertThat(answers.get(0).get().outputs().get("y")).isEqualTo(Tensor.ofFloats(new long[]{1, 2}, 2f, 4f));
        ServingException mismatch = failure(answers.get(1));
        assertThat(mismatch.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
        assertThat(mismatch.getMessage()).isEqualTo("input 'x' dimension 1: expected 2, got 3");
        assertThat(answers.get(2).get().outputs().get("y")).isEqualTo(Tensor.ofFloats(new long[]{1, 2}, 2f, 4f));
        // A model that judges shapes itself takes the odd shape, alone; its conforming batch-mates merge.
        assertThat(answers.get(4).get().outputs().get("y"))
                .isEqualTo(Tensor.ofFloats(new long[]{1, 3}, 2f, 4f, 6f));
        assertThat(answers.get(3).get().outputs().get("y")).isEqualTo(Tensor.ofFloats(new long[]{1, 2}, 2f, 4f));
        assertThat(answers.get(5).get().outputs().get("y")).isEqualTo(Tensor.ofFloats(new long[]{1, 2}, 2f, 4f));
        assertThat(format.predictRows).containsExactly(1L, 2L, 2L);
        assertThat(service.stats("strict").get(0).errors()).isEqualTo(1);
        assertThat(service.stats("lenient").get(0).errors()).isZero();
    }

    @Test
    void badRequestsFailAtOnceAndOnlyTheModelCallsWaitForTheRunner() throws Exception {
        serve(Map.of("m", "2 0"));
        List<Runnable> runner = new ArrayList<>();
        List<CompletableFuture<PredictResult>> answers = service.predictAll(List.of(
                request("m", 1f), request(ModelSpec.latest("m"), Map.of("z", floats(1f))), request("m", 2f)),
                runner::add);

        assertThat(failure(answers.get(1)).getMessage()).contains("missing input 'x'");
        assertThat(answers.get(0)).isNotDone();
        assertThat(answers.get(2)).isNotDone();
        assertThat(runner).as("one task for the whole batch").hasSize(1);
        runner.get(0).run();
        assertThat(answers.get(0).get().outputs().get("y")).isEqualTo(floats(2f));
        assertThat(answers.get(2).get().outputs().get("y")).isEqualTo(floats(4f));
        assertThat(format.predictRows).containsExactly(2L);

        List<CompletableFuture<PredictResult>> rejected = service.predictAll(List.of(request("m", 1f)), task -> {
            throw new RejectedExecutionException("full");
        });
        assertThat(failure(rejected.get(0)).code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
        assertThat(service.stats("m").get(0).invocations()).isEqualTo(4);
        service.reloadModels(List.of());
        assertThat(service.manager().awaitCondition(() -> format.openModels.get() == 0, WAIT))
                .as("a rejected batch releases its versions").isTrue();
    }
}
