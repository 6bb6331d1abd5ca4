package io.clusterserving.core.service;

import io.clusterserving.core.config.BatchingParameters;
import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.manager.VersionState;
import io.clusterserving.core.model.Classification;
import io.clusterserving.core.model.Example;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.repository.FormatRegistry;
import io.clusterserving.core.stats.ServingStats;
import io.clusterserving.core.stats.VersionMetrics;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.core.testing.LinearFormat;
import io.clusterserving.core.testing.ModelDirs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalInferenceServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final LinearFormat format = new LinearFormat();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LocalInferenceService service;

    @AfterEach
    void tearDown() {
        format.predictGate.countDown();
        format.loadGate.countDown();
        if (service != null) {
            service.close();
        }
    }

    private LocalInferenceService.Builder builder() {
        return LocalInferenceService.builder().formats(new FormatRegistry(List.of(format))).meterRegistry(registry)
                .fileSystemPollInterval(Duration.ofMillis(50)).maxLoadRetries(0).loadRetryIntervalMicros(0);
    }

    private LocalInferenceService serve(String name, String modelText) {
        ModelDirs.writeVersion(dir.resolve(name), 1, modelText);
        service = builder().models(List.of(ModelConfig.of(name, dir.resolve(name)))).build();
        assertThat(service.awaitReady(WAIT)).isTrue();
        return service;
    }

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        assertThat(service.manager().awaitCondition(condition, WAIT)).as("waited for " + what).isTrue();
    }

    private static PredictRequest request(ModelSpec spec, Map<String, Tensor> inputs) {
        return PredictRequest.of(spec, inputs);
    }

    private static Map<String, Tensor> x(float... values) {
        return Map.of("x", Tensor.ofFloats(new long[]{values.length}, values));
    }

    private PredictResult predict(ModelSpec spec, Map<String, Tensor> inputs) throws Exception {
        return service.predict(request(spec, inputs)).get(10, TimeUnit.SECONDS);
    }

    private ServingException failure(ModelSpec spec, Map<String, Tensor> inputs) {
        CompletableFuture<PredictResult> f = service.predict(request(spec, inputs));
        Throwable t = f.handle((r, e) -> e).join();
        assertThat(t).as("expected a failure").isNotNull();
        return ServingException.from(t);
    }

    private VersionState state(String model, long version) {
        return service.manager().versionStatus(model, version).map(ModelVersionStatus::state).orElse(VersionState.UNKNOWN);
    }

    @Test
    void predictsOnTheCallersThreadAndCountsStats() throws Exception {
        serve("m", "2 1");
        CompletableFuture<PredictResult> f = service.predict(request(ModelSpec.latest("m"), x(1f, 2f)));
        assertThat(f).isCompleted(); // unbatched: ran synchronously
        PredictResult r = f.get();
        assertThat(r.modelName()).isEqualTo("m");
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.signature().name()).isEqualTo("serving_default");
        assertThat(r.outputs().get("y")).isEqualTo(Tensor.ofFloats(new long[]{2}, 3f, 5f));

        assertThat(failure(ModelSpec.latest("m"), Map.of("x", Tensor.ofLongs(new long[]{1}, 1L))).code())
                .isEqualTo(StatusCode.INVALID_ARGUMENT);
        List<ServingStats> stats = service.stats("m");
        assertThat(stats).singleElement().satisfies(s -> {
            assertThat(s.invocations()).isEqualTo(2);
            assertThat(s.errors()).isEqualTo(1);
            assertThat(s.totalDurationNanos()).isPositive();
            assertThat(s.minDurationNanos()).isPositive().isLessThanOrEqualTo(s.maxDurationNanos());
            assertThat(s.description()).isEqualTo("linear model from " + dir.resolve("m").resolve("1"));
        });
        assertThat(registry.get(VersionMetrics.REQUESTS).tags("model", "m", "version", "1", "signature",
                "serving_default", "status", "OK").counter().count()).isEqualTo(1);
        assertThat(registry.get(VersionMetrics.REQUESTS).tags("model", "m", "status", "INVALID_ARGUMENT").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get(VersionMetrics.REQUEST_LATENCY).tags("model", "m", "version", "1").timer().count())
                .isEqualTo(2);
        assertThat(failure(ModelSpec.latest("nope"), x(1f)).code()).isEqualTo(StatusCode.NOT_FOUND);
        assertThat(service.modelNames()).containsExactly("m");
        assertThat(service.isReady()).isTrue();
    }

    @Test
    void validatesInputsAgainstTheSignature() throws Exception {
        serve("m", "1 0 cols=3");
        ModelSpec m = ModelSpec.latest("m");
        Map<String, Tensor> good = Map.of("x", Tensor.ofFloats(new long[]{1, 3}, 1, 2, 3));
        assertThat(predict(m, good).outputs().get("y").shape()).containsExactly(1, 3);

        assertThat(failure(m, Map.of("x", Tensor.ofLongs(new long[]{1, 3}, 1, 2, 3))).getMessage())
                .isEqualTo("input 'x': expected FP32, got INT64");
        assertThat(failure(m, Map.of("x", Tensor.ofFloats(new long[]{1, 2}, 1, 2))).getMessage())
                .isEqualTo("input 'x' dimension 1: expected 3, got 2");
        assertThat(failure(m, Map.of("x", Tensor.ofFloats(new long[]{3}, 1, 2, 3))).getMessage())
                .isEqualTo("input 'x': expected rank 2 (shape [-1, 3]), got rank 1 (shape [3])");
        assertThat(failure(m, Map.of("z", Tensor.ofFloats(new long[]{1, 3}, 1, 2, 3))).getMessage())
                .isEqualTo("model 'm' version 1 signature 'serving_default': missing input 'x'; expected inputs: [x]");
        ServingException unknown = failure(m, Map.of("x", Tensor.ofFloats(new long[]{1, 3}, 1, 2, 3),
                "z", Tensor.ofFloats(new long[]{1}, 1)));
        assertThat(unknown.getMessage()).isEqualTo("model 'm' version 1 signature 'serving_default' has no input 'z'; inputs: [x]");
        ServingException badSignature = failure(m.withSignature("nope"), good);
        assertThat(badSignature.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
        assertThat(badSignature.getMessage())
                .isEqualTo("model 'm' version 1 has no signature 'nope'; signatures: [fixed, pair, serving_default, two]");
        ServingException badFilter = service.predict(new PredictRequest(m, InputDecoder.of(good), Set.of("q")))
                .handle((r, e) -> ServingException.from(e)).join();
        assertThat(badFilter.getMessage()).contains("has no output 'q'").contains("[y]");
        ServingException internal = failure(m, Map.of("x", Tensor.ofFloats(new long[]{1, 3}, 1, Float.POSITIVE_INFINITY, 3)));
        assertThat(internal.code()).isEqualTo(StatusCode.INTERNAL);
        assertThat(internal.getMessage()).isEqualTo("runtime cannot handle infinity");
        assertThat(service.stats("m").get(0).errors()).isEqualTo(8);
    }

    @Test
    void returnsOutputsInSignatureOrderAndHonoursFilters() throws Exception {
        serve("m", "2 0");
        PredictResult r = predict(ModelSpec.latest("m").withSignature("two"), x(3f));
        assertThat(r.outputs().keySet()).containsExactly("neg", "y"); // the model answered y first
        assertThat(r.outputs().get("neg").getFloat(0)).isEqualTo(-3f);
        PredictResult filtered = service.predict(new PredictRequest(ModelSpec.latest("m").withSignature("two"),
                InputDecoder.of(x(3f)), Set.of("y"))).get(10, TimeUnit.SECONDS);
        assertThat(filtered.outputs().keySet()).containsExactly("y");

        ModelMetadata meta = service.metadata(ModelSpec.latest("m"));
        assertThat(meta.version()).isEqualTo(1);
        assertThat(meta.format()).isEqualTo("linear");
        assertThat(meta.signatures()).containsKeys("serving_default", "two", "fixed", "pair");
    }

    @Test
    void modelYamlChoosesTheDefaultSignature() throws Exception {
        ModelDirs.writeVersion(dir.resolve("m"), 1, "2 0");
        Files.writeString(dir.resolve("m").resolve("model.yaml"), "default_signature: two\ndescription: doubles\n");
        service = builder().models(List.of(ModelConfig.of("m", dir.resolve("m")))).build();
        assertThat(service.awaitReady(WAIT)).isTrue();
        assertThat(predict(ModelSpec.latest("m"), x(1f)).outputs().keySet()).containsExactly("neg", "y");
        assertThat(service.stats("m").get(0).description()).isEqualTo("doubles");
    }

    @Test
    void batchesBatchableSignaturesAndRunsOthersDirectly() throws Exception {
        ModelDirs.writeVersion(dir.resolve("m"), 1, "2 0 gated-predict");
        service = builder().models(List.of(ModelConfig.of("m", dir.resolve("m"))))
                .batching(new BatchingParameters(16, 0, 10, 1, List.of(), false)).build();
        assertThat(service.awaitReady(WAIT)).isTrue();

        format.predictGate = new CountDownLatch(1);
        CompletableFuture<PredictResult> first = service.predict(request(ModelSpec.latest("m"), x(1f)));
        assertThat(format.atPredictGate.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first).isNotDone(); // batched: the caller is not blocked
        CompletableFuture<PredictResult> a = service.predict(request(ModelSpec.latest("m"), x(2f, 3f)));
        CompletableFuture<PredictResult> b = service.predict(request(ModelSpec.latest("m"), x(4f)));
        CompletableFuture<PredictResult> pair = service.predict(request(ModelSpec.latest("m").withSignature("pair"),
                Map.of("x", Tensor.ofFloats(new long[]{1}, 1f), "w", Tensor.ofFloats(new long[]{1}, 10f))));
        ServingException disagree = failure(ModelSpec.latest("m").withSignature("pair"),
                Map.of("x", Tensor.ofFloats(new long[]{2}, 1f, 2f), "w", Tensor.ofFloats(new long[]{1}, 10f)));
        assertThat(disagree.getMessage()).isEqualTo("inputs of one request must agree on dimension 0 (the batch "
                + "size): input 'x' has 2, input 'w' has 1");
        format.predictGate.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).outputs().get("y").getFloat(0)).isEqualTo(2f);
        assertThat(a.get(10, TimeUnit.SECONDS).outputs().get("y")).isEqualTo(Tensor.ofFloats(new long[]{2}, 4f, 6f));
        assertThat(b.get(10, TimeUnit.SECONDS).outputs().get("y")).isEqualTo(Tensor.ofFloats(new long[]{1}, 8f));
        assertThat(pair.get(10, TimeUnit.SECONDS).outputs().get("y").getFloat(0)).isEqualTo(12f);
        assertThat(format.predictRows).contains(3L); // a and b shared a batch

        // "fixed" has no free batch dimension: it runs directly on the caller's thread.
        CompletableFuture<PredictResult> fixed = service.predict(request(ModelSpec.latest("m").withSignature("fixed"),
                x(1f, 2f)));
        assertThat(fixed).isCompleted();
        assertThat(fixed.get().outputs().get("y")).isEqualTo(Tensor.ofFloats(new long[]{2}, 2f, 4f));

        assertThat(registry.get(VersionMetrics.BATCH_SIZE).tags("model", "m", "version", "1").summary().max())
                .isGreaterThanOrEqualTo(3);
        assertThat(registry.get(VersionMetrics.BATCH_QUEUE_LATENCY).tags("model", "m", "version", "1").timer().count())
                .isGreaterThanOrEqualTo(4);
        assertThat(service.stats("m").get(0).invocations()).isEqualTo(6);
    }

    @Test
    void modelYamlTurnsBatchingOffAndOn() throws Exception {
        ModelDirs.writeVersion(dir.resolve("off"), 1, "1 0");
        Files.writeString(dir.resolve("off").resolve("model.yaml"), "batching:\n  enabled: false\n");
        ModelDirs.writeVersion(dir.resolve("on"), 1, "1 0");
        Files.writeString(dir.resolve("on").resolve("model.yaml"), "batching:\n  max_batch_size: 4\n  batch_timeout_micros: 0\n");
        service = builder().models(List.of(ModelConfig.of("off", dir.resolve("off")), ModelConfig.of("on", dir.resolve("on"))))
                .batching(new BatchingParameters(16, 0, 10, 1, List.of(), false)).build();
        assertThat(service.awaitReady(WAIT)).isTrue();
        try (var h = service.manager().acquire(ModelSpec.latest("off"))) {
            assertThat(h.batcher()).isEmpty();
        }
        try (var h = service.manager().acquire(ModelSpec.latest("on"))) {
            assertThat(h.batcher()).isPresent();
        }
        ServingException tooBig = failure(ModelSpec.latest("on"), x(1, 2, 3, 4, 5));
        assertThat(tooBig.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
        assertThat(tooBig.getMessage()).contains("5 rows").contains("max_batch_size 4");
        assertThat(predict(ModelSpec.latest("off"), x(1, 2, 3, 4, 5)).outputs().get("y").rows()).isEqualTo(5);
    }

    @Test
    void hotSwapsUnderLoadDropNoRequest() throws Exception {
        Path base = dir.resolve("m");
        ModelDirs.writeVersion(base, 1, "1 0 slow-predict=1");
        service = builder().models(List.of(ModelConfig.of("m", base)))
                .batching(new BatchingParameters(8, 500, 100, 1, List.of(), false)).build();
        assertThat(service.awaitReady(WAIT)).isTrue();
        // Half the clients hit a batchable signature (through the batcher), half the unbatchable one.
        int clients = 4;
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong ok = new java.util.concurrent.atomic.AtomicLong();
        java.util.Queue<String> problems = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int c = 0; c < clients; c++) {
            boolean batched = c % 2 == 0;
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        PredictResult r = batched ? predict(ModelSpec.latest("m"), x(1f, 2f))
                                : predict(ModelSpec.latest("m").withSignature("fixed"), x(1f, 2f));
                        // version v has scale v: the answer must come from the version it names
                        Tensor y = r.outputs().get("y");
                        if (y.getFloat(0) != r.version() || y.getFloat(1) != 2f * r.version()) {
                            problems.add("version " + r.version() + " answered " + y.getFloat(0) + ", " + y.getFloat(1));
                        }
                        seen.add(r.version());
                        ok.incrementAndGet();
                    } catch (Exception e) {
                        problems.add(String.valueOf(ServingException.from(e).getMessage()));
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        int swaps = 10;
        for (long v = 2; v <= swaps + 1; v++) {
            long before = ok.get();
            // let some requests run on the current version before swapping
            assertThat(service.manager().awaitCondition(() -> ok.get() >= before + 20, WAIT)).isTrue();
            ModelDirs.writeVersion(base, v, v + " 0 slow-predict=1");
            long version = v;
            await(() -> state("m", version) == VersionState.AVAILABLE && state("m", version - 1) == VersionState.END,
                    "swap to version " + v);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertThat(problems).isEmpty();
        assertThat(ok.get()).isPositive();
        assertThat(seen).isSubsetOf(java.util.stream.LongStream.rangeClosed(1, swaps + 1).boxed().toList());
        assertThat(seen.size()).isGreaterThan(1);
        assertThat(format.openModels).hasValue(1);
        double counted = registry.find(VersionMetrics.REQUESTS).tags("model", "m", "status", "OK").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
        assertThat((long) counted).isEqualTo(ok.get());
    }

    @Test
    void aVersionRenamedIntoPlaceIsServedWithinTwoPollIntervals() throws Exception {
        Path base = dir.resolve("m");
        ModelDirs.writeVersion(base, 1, "1 0");
        service = builder().models(List.of(ModelConfig.of("m", base))).fileSystemPollSeconds(1).build();
        assertThat(service.awaitReady(WAIT)).isTrue();
        long start = System.nanoTime();
        ModelDirs.writeVersion(base, 2, "2 0");
        // Two poll intervals plus generous slack for a busy build machine.
        assertThat(service.manager().awaitCondition(() -> state("m", 2) == VersionState.AVAILABLE, Duration.ofSeconds(7)))
                .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(7));
        assertThat(predict(ModelSpec.latest("m"), x(1f)).version()).isEqualTo(2);
    }

    @Test
    void anEmptyModelConfigFileIsAWriteInProgressNotAnEmptyList() throws Exception {
        ModelDirs.writeVersion(dir.resolve("a"), 1, "1 0");
        Path file = dir.resolve("models.config");
        Files.writeString(file, config(entry("a", "")));
        service = builder().modelConfigFile(file, Duration.ofMillis(20)).build();
        assertThat(service.awaitReady(WAIT)).isTrue();
        Files.writeString(file, "");
        Thread.sleep(300); // 15 polls
        assertThat(service.modelNames()).containsExactly("a");
        assertThat(state("a", 1)).isEqualTo(VersionState.AVAILABLE);
        Files.writeString(file, "model_config_list {}");
        await(() -> service.modelNames().isEmpty(), "the explicit empty list applied");
    }

    @Test
    void theModelConfigFileAddsAndRemovesModels() throws Exception {
        ModelDirs.writeVersion(dir.resolve("a"), 1, "1 0");
        ModelDirs.writeVersion(dir.resolve("b"), 1, "1 0");
        ModelDirs.writeVersion(dir.resolve("b"), 2, "2 0");
        Path file = dir.resolve("models.config");
        Files.writeString(file, config(entry("a", "")));
        service = builder().modelConfigFile(file, Duration.ofMillis(50)).build();
        assertThat(service.awaitReady(WAIT)).isTrue();
        assertThat(service.modelNames()).containsExactly("a");

        Files.writeString(file, config(entry("a", "") + entry("b", "model_version_policy { all {} }")));
        await(() -> service.modelNames().equals(List.of("a", "b")) && state("b", 1) == VersionState.AVAILABLE
                && state("b", 2) == VersionState.AVAILABLE, "model b with all versions");
        assertThat(predict(ModelSpec.version("b", 1), x(1f)).version()).isEqualTo(1);

        Files.writeString(file, config(entry("b", "model_version_policy { latest { num_versions: 1 } }")));
        await(() -> service.modelNames().equals(List.of("b")) && state("b", 1) == VersionState.END,
                "model a removed, b narrowed");
        assertThat(failure(ModelSpec.latest("a"), x(1f)).code()).isEqualTo(StatusCode.NOT_FOUND);
        await(() -> format.openModels.get() == 1, "a and b/1 closed");

        // A broken file is logged and ignored; the models stay.
        Files.writeString(file, "model_config_list { config { name: ");
        service.reloadModels(List.of(ModelConfig.of("b", dir.resolve("b")), ModelConfig.of("a", dir.resolve("a"))));
        assertThat(service.awaitReady(WAIT)).isTrue();
        assertThat(service.modelNames()).containsExactly("a", "b");
    }

    private static String config(String entries) {
        return "model_config_list {\n" + entries + "}\n";
    }

    private static String entry(String name, String extra) {
        return "  config { name: \"" + name + "\" base_path: \"" + name + "\" " + extra + " }\n";
    }

    @Test
    void aMissingBasePathIsAnErrorInStatusUntilItAppears() throws Exception {
        Path base = dir.resolve("late");
        service = builder().models(List.of(ModelConfig.of("late", base))).build();
        assertThat(service.isReady()).isFalse();
        List<ModelVersionStatus> status = service.status(ModelSpec.latest("late"));
        assertThat(status).singleElement().satisfies(s -> {
            assertThat(s.errorCode()).isEqualTo(StatusCode.NOT_FOUND);
            assertThat(s.errorMessage()).contains(base.toString());
        });
        assertThat(failure(ModelSpec.latest("late"), x(1f)).code()).isEqualTo(StatusCode.UNAVAILABLE);
        ModelDirs.writeVersion(base, 4, "4 0");
        assertThat(service.awaitReady(WAIT)).isTrue();
        assertThat(service.status(ModelSpec.latest("late"))).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(VersionState.AVAILABLE));
        assertThatThrownBy(() -> service.status(ModelSpec.latest("other")))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));
    }

    @Test
    void closeLetsQueuedRequestsFinishThenUnloads() throws Exception {
        ModelDirs.writeVersion(dir.resolve("m"), 1, "3 0 gated-predict");
        service = builder().models(List.of(ModelConfig.of("m", dir.resolve("m"))))
                .batching(new BatchingParameters(4, 0, 10, 1, List.of(), false)).build();
        assertThat(service.awaitReady(WAIT)).isTrue();
        format.predictGate = new CountDownLatch(1);
        CompletableFuture<PredictResult> running = service.predict(request(ModelSpec.latest("m"), x(1f)));
        assertThat(format.atPredictGate.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<PredictResult> queued = service.predict(request(ModelSpec.latest("m"), x(2f)));
        Thread closer = new Thread(service::close);
        closer.start();
        assertThat(format.openModels).hasValue(1);
        format.predictGate.countDown();
        closer.join(20_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(running.get(1, TimeUnit.SECONDS).outputs().get("y").getFloat(0)).isEqualTo(3f);
        assertThat(queued.get(1, TimeUnit.SECONDS).outputs().get("y").getFloat(0)).isEqualTo(6f);
        assertThat(format.openModels).hasValue(0);
    }

    @Test
    void lenientModelsSkipRankAndDimensionChecksAndRunOddShapesUnbatched() throws Exception {
        ModelDirs.writeVersion(dir.resolve("strict"), 1, "2 0 cols=1");
        ModelDirs.writeVersion(dir.resolve("lenient"), 1, "2 0 cols=1 lenient");
        service = builder().models(List.of(ModelConfig.of("strict", dir.resolve("strict")),
                        ModelConfig.of("lenient", dir.resolve("lenient"))))
                .batching(new BatchingParameters(16, 0, 10, 1, List.of(), false)).build();
        assertThat(service.awaitReady(WAIT)).isTrue();

        // Declared [-1, 1]; a [3] input is TF Serving's half_plus_two request.
        assertThat(failure(ModelSpec.latest("strict"), x(1f, 2f, 5f)).getMessage())
                .isEqualTo("input 'x': expected rank 2 (shape [-1, 1]), got rank 1 (shape [3])");
        CompletableFuture<PredictResult> odd = service.predict(request(ModelSpec.latest("lenient"), x(1f, 2f, 5f)));
        assertThat(odd).as("an odd shape runs on the caller's thread, outside the batcher").isCompleted();
        assertThat(odd.get().outputs().get("y")).isEqualTo(Tensor.ofFloats(new long[]{3}, 2f, 4f, 10f));

        Map<String, Tensor> column = Map.of("x", Tensor.ofFloats(new long[]{2, 1}, 1f, 2f));
        assertThat(predict(ModelSpec.latest("lenient"), column).outputs().get("y"))
                .isEqualTo(Tensor.ofFloats(new long[]{2, 1}, 2f, 4f));
        // Names and dtypes are still checked.
        assertThat(failure(ModelSpec.latest("lenient"), Map.of("x", Tensor.ofDoubles(new long[]{1}, 1d)))
                .getMessage()).isEqualTo("input 'x': expected FP32, got FP64");
        assertThat(failure(ModelSpec.latest("lenient"), Map.of("z", Tensor.ofFloats(new long[]{1}, 1f))).getMessage())
                .contains("missing input 'x'");
    }

    @Test
    void classifyAndRegressResolveTheSignatureAndRecordStats() throws Exception {
        serve("m", "2 1");
        Example context = Example.builder().floats("x", 100f).build();
        RegressionResult r = service.regress(new RegressRequest(ModelSpec.latest("m"),
                List.of(Example.builder().floats("x", 1f).build(), Example.EMPTY), context)).get(10, TimeUnit.SECONDS);
        assertThat(r.values()).containsExactly(3f, 201f);
        assertThat(r.modelName()).isEqualTo("m");
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.signatureName()).isEqualTo("serving_default");

        ClassificationResult c = service.classify(new ClassifyRequest(ModelSpec.latest("m").withSignature("two"),
                List.of(Example.builder().floats("x", 0.25f).build()), null)).get(10, TimeUnit.SECONDS);
        assertThat(c.signatureName()).isEqualTo("two");
        assertThat(c.classifications()).containsExactly(
                List.of(new Classification("high", 1.5f), new Classification("low", -0.5f)));
        assertThat(service.stats("m").get(0).invocations()).isEqualTo(2);

        var bad = service.regress(new RegressRequest(ModelSpec.latest("m"),
                List.of(Example.builder().strings("x", "a").build()), null));
        assertThatThrownBy(bad::join).cause().isInstanceOfSatisfying(ServingException.class,
                e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT));
        var empty = service.classify(new ClassifyRequest(ModelSpec.latest("m"), List.of(), null));
        assertThatThrownBy(empty::join).cause().isInstanceOfSatisfying(ServingException.class,
                e -> assertThat(e.getMessage()).isEqualTo("classify request for model 'm' version 1 has no examples"));
        var unknown = service.classify(new ClassifyRequest(ModelSpec.latest("m").withSignature("nope"),
                List.of(Example.EMPTY), null));
        assertThatThrownBy(unknown::join).cause().isInstanceOfSatisfying(ServingException.class,
                e -> assertThat(e.getMessage()).contains("has no signature 'nope'"));
    }
}
