package io.clusterserving.core.service;

import io.clusterserving.core.batching.BatchKey;
import io.clusterserving.core.batching.BatchRun;
import io.clusterserving.core.batching.Batcher;
import io.clusterserving.core.config.BatchingParameters;
import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.manager.ManagerSettings;
import io.clusterserving.core.manager.ModelManager;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.manager.ServableHandle;
import io.clusterserving.core.manager.ServableSignature;
import io.clusterserving.core.model.Classification;
import io.clusterserving.core.model.Example;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.repository.FormatRegistry;
import io.clusterserving.core.source.FileSystemSource;
import io.clusterserving.core.source.ModelConfigFileSource;
import io.clusterserving.core.stats.ServingStats;
import io.clusterserving.core.stats.VersionMetrics;
import io.clusterserving.core.tensor.Tensor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs models in this process: a {@link ModelManager} fed by a file-system source (and optionally a
 * watched {@code --model_config_file}), with per-version batching, stats and metrics.
 *
 * <p>Unbatched predictions run synchronously on the caller's thread and return a completed future;
 * batched ones complete on a batch thread. Either way the version handle is released when the run ended.
 * A batch the caller formed itself runs through {@link #predictAll}, merged without the batcher.
 */
public final class LocalInferenceService implements InferenceService {
    /** A caller's batch runs at its own size: padding is the batcher's business. */
    private static final int[] NO_PADDING = new int[0];

    private final ModelManager manager;
    private final FileSystemSource fileSystemSource;
    private final ModelConfigFileSource configFileSource; // null without a config file
    private final MeterRegistry registry;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalInferenceService(Builder b) {
        this.registry = b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry();
        FormatRegistry formats = b.formats != null ? b.formats : FormatRegistry.load();
        this.manager = new ModelManager(formats, new ManagerSettings(b.maxLoadRetries, b.loadRetryIntervalMicros,
                b.intraOpThreads, b.interOpThreads, b.batching, b.loaderThreads), registry);
        try {
            List<ModelConfig> initial = b.models;
            if (b.modelConfigFile != null) {
                this.configFileSource = new ModelConfigFileSource(b.modelConfigFile, b.modelConfigFilePoll,
                        this::reloadModels);
                initial = configFileSource.readInitial();
            } else {
                this.configFileSource = null;
            }
            this.fileSystemSource = new FileSystemSource(manager, initial, b.fileSystemPoll);
            fileSystemSource.start();
            if (configFileSource != null) {
                configFileSource.start();
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The model manager, for status details and tests. */
    public ModelManager manager() {
        return manager;
    }

    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** Waits until every configured model has an AVAILABLE version; returns whether that happened in time. */
    public boolean awaitReady(Duration timeout) {
        try {
            return manager.awaitCondition(manager::isReady, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Replaces the served model set (gRPC's HandleReloadConfigRequest): new models start loading, removed
     * ones unload once their in-flight requests finish, changed policies apply at once. Returns without
     * waiting for loads; use {@link #awaitReady}.
     */
    public void reloadModels(List<ModelConfig> models) {
        fileSystemSource.replaceModels(models);
    }

    // ---------------------------------------------------------------- InferenceService

    @Override
    public CompletableFuture<PredictResult> predict(PredictRequest request) {
        long start = System.nanoTime();
        ServableHandle handle;
        try {
            handle = manager.acquire(request.model());
        } catch (RuntimeException e) {
            return unresolved(request.model(), e);
        }
        return predict(handle, request, start);
    }

    private CompletableFuture<PredictResult> predict(ServableHandle handle, PredictRequest request, long start) {
        Optional<Batcher> batcher = handle.batcher();
        Call call = new Call(handle, start);
        if (!call.prepare(request, batcher.isPresent())) {
            return call.answer;
        }
        if (call.mergeable) {
            batcher.get().submit(call.signatureName, call.signature.signature(), call.inputs, call.outputFilter,
                    call.rows).whenComplete(call::completeOrFail);
        } else {
            call.runAlone();
        }
        return call.answer;
    }

    /**
     * Runs a batch the caller has already formed (a queue worker's micro-batch) without waiting for the
     * batcher. Versions are resolved and inputs decoded and validated on the caller's thread, so a bad
     * request's future fails at once; the model calls then run as one task on {@code modelRunner}:
     * requests for the same version with the same {@link BatchKey} as one model call, by the batcher's own
     * merge and split rules ({@link BatchRun}); requests that cannot share a call (a signature without a
     * free batch dimension, an odd shape for a model that judges shapes itself) alone. Each request keeps
     * its own result or error, its own version handle, stats and metrics. Versions with batching
     * parameters of their own still go through their batcher. A runner that rejects the task fails its
     * requests with RESOURCE_EXHAUSTED.
     */
    @Override
    public List<CompletableFuture<PredictResult>> predictAll(List<PredictRequest> requests, Executor modelRunner) {
        long start = System.nanoTime();
        List<CompletableFuture<PredictResult>> answers = new ArrayList<>(requests.size());
        Map<MergeKey, List<Call>> groups = new LinkedHashMap<>();
        List<Call> alone = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            PredictRequest request = requests.get(i);
            ServableHandle handle;
            try {
                handle = manager.acquire(request.model());
            } catch (RuntimeException e) {
                answers.add(unresolved(request.model(), e));
                continue;
            }
            if (handle.batcher().isPresent()) {
                answers.add(predict(handle, request, start));
                continue;
            }
            Call call = new Call(handle, start);
            answers.add(call.answer);
            if (!call.prepare(request, true)) {
                continue;
            }
            if (call.mergeable) {
                groups.computeIfAbsent(new MergeKey(handle.model(), BatchKey.of(call.signatureName,
                        call.signature.signature(), call.outputFilter, call.inputs)), k -> new ArrayList<>()).add(call);
            } else {
                alone.add(call);
            }
        }
        if (groups.isEmpty() && alone.isEmpty()) {
            return answers;
        }
        try {
            modelRunner.execute(() -> run(alone, groups.values()));
        } catch (RejectedExecutionException e) {
            ServingException busy = ServingException.resourceExhausted(
                    "the model runner is busy with earlier batches; retry later");
            alone.forEach(call -> call.fail(busy));
            groups.values().forEach(group -> group.forEach(call -> call.fail(busy)));
        }
        return answers;
    }

    private static void run(List<Call> alone, Collection<List<Call>> groups) {
        for (int i = 0; i < alone.size(); i++) {
            alone.get(i).runAlone();
        }
        for (List<Call> group : groups) {
            Call first = group.get(0);
            long rows = 0;
            for (int i = 0; i < group.size(); i++) {
                rows += group.get(i).rows;
            }
            BatchRun.run(first.handle.describe(), first.handle.model(), first.signatureName, first.outputFilter, group,
                    rows, NO_PADDING);
        }
    }

    /** Requests for one loaded version (the model instance) that may share a model call. */
    private record MergeKey(LoadedModel model, BatchKey batch) {
    }

    /** Records a request whose spec named no available version. */
    private <R> CompletableFuture<R> unresolved(ModelSpec spec, RuntimeException failure) {
        ServingException error = ServingException.from(failure);
        VersionMetrics.recordUnresolved(registry, manager.models().contains(spec.name()) ? spec.name() : "",
                error.code());
        return CompletableFuture.failedFuture(error);
    }

    /** TF Serving's Classify, run unbatched on the caller's thread like any Example-based request. */
    @Override
    public CompletableFuture<ClassificationResult> classify(ClassifyRequest request) {
        return runExamples(request.model(), "classify", request.examples(), (model, signatureName) -> {
            List<List<Classification>> classes = model.classify(signatureName, request.examples(), request.context());
            checkAnswerCount("classify", classes == null ? -1 : classes.size(), request.examples().size());
            return classes;
        }, (handle, signatureName, classes) -> new ClassificationResult(handle.modelName(), handle.version(),
                signatureName, classes));
    }

    /** TF Serving's Regress, run unbatched on the caller's thread. */
    @Override
    public CompletableFuture<RegressionResult> regress(RegressRequest request) {
        return runExamples(request.model(), "regress", request.examples(), (model, signatureName) -> {
            List<Float> values = model.regress(signatureName, request.examples(), request.context());
            checkAnswerCount("regress", values == null ? -1 : values.size(), request.examples().size());
            return values;
        }, (handle, signatureName, values) -> new RegressionResult(handle.modelName(), handle.version(),
                signatureName, values));
    }

    /** One Example-based call of a model: what it returns, before the service adds version and signature. */
    @FunctionalInterface
    private interface ExampleCall<A> {
        A run(LoadedModel model, String signatureName);
    }

    @FunctionalInterface
    private interface ExampleResult<A, R> {
        R build(ServableHandle handle, String signatureName, A answer);
    }

    private <A, R> CompletableFuture<R> runExamples(ModelSpec spec, String verb, List<Example> examples,
                                                    ExampleCall<A> call, ExampleResult<A, R> result) {
        long start = System.nanoTime();
        ServableHandle handle;
        try {
            handle = manager.acquire(spec);
        } catch (RuntimeException e) {
            return unresolved(spec, e);
        }
        String signatureName = "";
        try {
            ServableSignature signature = signature(handle, spec);
            signatureName = signature.name();
            if (examples.isEmpty()) {
                throw ServingException.invalidArgument("%s request for %s has no examples", verb, handle.describe());
            }
            A answer = call.run(handle.model(), signatureName);
            R built = result.build(handle, signatureName, answer);
            finish(handle, signatureName, StatusCode.OK, start);
            return CompletableFuture.completedFuture(built);
        } catch (Throwable t) {
            ServingException error = ServingException.from(t);
            if (error.code() == StatusCode.UNIMPLEMENTED) {
                error = unsupported(handle, signatureName, verb, error);
            }
            finish(handle, signatureName, error.code(), start);
            return CompletableFuture.failedFuture(error);
        }
    }

    /** Says which model could not answer, which signature was asked, and what would answer. */
    private static ServingException unsupported(ServableHandle handle, String signatureName, String verb,
                                                ServingException cause) {
        ServableSignature signature = handle.signatures().get(signatureName);
        String method = signature == null ? "?" : signature.signature().methodName();
        String wanted = verb.equals("classify") ? Signature.CLASSIFY_METHOD : Signature.REGRESS_METHOD;
        String pmmlKind = verb.equals("classify") ? "classification" : "regression";
        return new ServingException(StatusCode.UNIMPLEMENTED, String.format(
                "%s (%s) cannot %s: %s; signature '%s' has method_name %s. %s is served for TensorFlow signatures "
                        + "with method_name %s and for PMML %s models",
                handle.describe(), handle.format(), verb, cause.getMessage(), signatureName, method, verb, wanted,
                pmmlKind), cause);
    }

    private static void checkAnswerCount(String verb, int got, int examples) {
        if (got != examples) {
            throw ServingException.internal(verb + " returned " + (got < 0 ? "nothing" : got + " answers") + " for "
                    + examples + " examples", null);
        }
    }

    /**
     * One prediction against an acquired version: its signature, decoded and validated inputs, and the
     * answer. Completing or failing it records stats and metrics and releases the handle, exactly once.
     */
    private static final class Call implements BatchRun.Part {
        final ServableHandle handle;
        final long start;
        final CompletableFuture<PredictResult> answer = new CompletableFuture<>();
        ServableSignature signature;
        String signatureName = "";
        Map<String, Tensor> inputs;
        Set<String> outputFilter;
        long rows;
        boolean mergeable;

        Call(ServableHandle handle, long start) {
            this.handle = handle;
            this.start = start;
        }

        /**
         * Resolves the signature and decodes and validates the inputs; on bad input fails the call and
         * returns false.
         *
         * @param canMerge whether a mergeable request would share a model call; its inputs must then
         *                 agree on dimension 0
         */
        boolean prepare(PredictRequest request, boolean canMerge) {
            try {
                signature = signature(handle, request.model());
                signatureName = signature.name();
                inputs = request.inputs().decode(signature.signature());
                if (inputs == null) {
                    throw ServingException.invalidArgument("request for %s has no inputs", handle.describe());
                }
                outputFilter = request.outputFilter();
                signature.checkOutputFilter(outputFilter);
                // A model that judges shapes itself may take a request of another shape, but that request runs
                // alone: it could not be concatenated with the others, and must not fail them.
                mergeable = canMerge && signature.batchable()
                        && (signature.strictShapes() || signature.shapesMatch(inputs));
                rows = signature.validate(inputs, mergeable);
                return true;
            } catch (Throwable t) {
                fail(ServingException.from(t));
                return false;
            }
        }

        /** Runs this request by itself on the caller's thread. */
        void runAlone() {
            Map<String, Tensor> outputs;
            try {
                outputs = handle.model().predict(signatureName, inputs, outputFilter);
            } catch (Throwable t) {
                fail(ServingException.from(t));
                return;
            }
            complete(outputs);
        }

        void completeOrFail(Map<String, Tensor> outputs, Throwable failure) {
            if (failure == null) {
                complete(outputs);
            } else {
                fail(ServingException.from(failure));
            }
        }

        @Override
        public Map<String, Tensor> inputs() {
            return inputs;
        }

        @Override
        public long rows() {
            return rows;
        }

        @Override
        public void complete(Map<String, Tensor> outputs) {
            PredictResult result;
            try {
                result = result(handle, signature, outputs);
            } catch (Throwable t) {
                fail(ServingException.from(t));
                return;
            }
            finish(handle, signatureName, StatusCode.OK, start);
            answer.complete(result);
        }

        @Override
        public void fail(ServingException error) {
            finish(handle, signatureName, error.code(), start);
            answer.completeExceptionally(error);
        }
    }

    /** Records stats and metrics, then releases the version. */
    private static void finish(ServableHandle handle, String signatureName, StatusCode code, long start) {
        try {
            long took = System.nanoTime() - start;
            handle.stats().record(took, code != StatusCode.OK);
            handle.metrics().recordRequest(signatureName, code, took);
        } finally {
            handle.close();
        }
    }

    private static ServableSignature signature(ServableHandle handle, ModelSpec spec) {
        String name = spec.signatureName();
        if (name == null) {
            String configured = handle.options() == null ? null : handle.options().defaultSignature();
            name = configured != null && !configured.isEmpty() ? configured : Signature.DEFAULT_NAME;
        }
        ServableSignature signature = handle.signatures().get(name);
        if (signature == null) {
            throw ServingException.invalidArgument("%s has no signature '%s'; signatures: %s", handle.describe(), name,
                    new TreeSet<>(handle.signatures().keySet()));
        }
        return signature;
    }

    /** The outputs in the signature's order (any the signature does not list follow, none is dropped). */
    private static PredictResult result(ServableHandle handle, ServableSignature signature,
                                        Map<String, Tensor> outputs) {
        if (outputs == null) {
            throw ServingException.internal(handle.describe() + " returned no outputs", null);
        }
        List<TensorSpec> specs = signature.signature().outputs();
        Map<String, Tensor> ordered = new LinkedHashMap<>(Math.max(4, outputs.size() * 2));
        for (int i = 0; i < specs.size(); i++) {
            String name = specs.get(i).name();
            Tensor t = outputs.get(name);
            if (t != null) {
                ordered.put(name, t);
            }
        }
        if (ordered.size() < outputs.size()) {
            ordered.putAll(outputs);
        }
        return new PredictResult(handle.modelName(), handle.version(), signature.signature(), ordered);
    }

    @Override
    public ModelMetadata metadata(ModelSpec spec) {
        try (ServableHandle handle = manager.acquire(spec)) {
            return new ModelMetadata(handle.modelName(), handle.version(), handle.format(),
                    handle.model().signatures());
        }
    }

    @Override
    public List<ModelVersionStatus> status(ModelSpec spec) {
        return manager.status(spec);
    }

    @Override
    public List<String> modelNames() {
        return manager.models();
    }

    @Override
    public List<ServingStats> stats(String modelName) {
        return manager.stats(modelName);
    }

    @Override
    public boolean isReady() {
        return manager.isReady();
    }

    /** Stops the sources, lets in-flight and queued requests finish, unloads every version. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (configFileSource != null) {
            configFileSource.close();
        }
        fileSystemSource.close();
        manager.close();
    }

    // ---------------------------------------------------------------- builder

    public static final class Builder {
        private List<ModelConfig> models = List.of();
        private Path modelConfigFile;
        private Duration modelConfigFilePoll = Duration.ZERO;
        private Duration fileSystemPoll = Duration.ofSeconds(1);
        private BatchingParameters batching;
        private int maxLoadRetries = 5;
        private long loadRetryIntervalMicros = 60_000_000L;
        private int intraOpThreads;
        private int interOpThreads;
        private int loaderThreads = 2;
        private MeterRegistry meterRegistry;
        private FormatRegistry formats;

        private Builder() {
        }

        /** The models to serve (the {@code --model_name/--model_base_path} flags or a repository scan). */
        public Builder models(List<ModelConfig> models) {
            this.models = List.copyOf(models);
            this.modelConfigFile = null;
            return this;
        }

        /** Serve the models of TF Serving's {@code --model_config_file}, re-read every {@code pollSeconds} (0 = never). */
        public Builder modelConfigFile(Path file, long pollSeconds) {
            return modelConfigFile(file, Duration.ofSeconds(Math.max(0, pollSeconds)));
        }

        public Builder modelConfigFile(Path file, Duration pollInterval) {
            this.modelConfigFile = file;
            this.modelConfigFilePoll = pollInterval;
            return this;
        }

        /** TF Serving's {@code --file_system_poll_wait_seconds} (default 1; 0 = scan once at start). */
        public Builder fileSystemPollSeconds(long seconds) {
            return fileSystemPollInterval(Duration.ofSeconds(Math.max(0, seconds)));
        }

        public Builder fileSystemPollInterval(Duration interval) {
            this.fileSystemPoll = interval;
            return this;
        }

        /** Server-wide batching ({@code --enable_batching} + parameters file); null = off. */
        public Builder batching(BatchingParameters batching) {
            this.batching = batching;
            return this;
        }

        public Builder maxLoadRetries(int retries) {
            this.maxLoadRetries = retries;
            return this;
        }

        public Builder loadRetryIntervalMicros(long micros) {
            this.loadRetryIntervalMicros = micros;
            return this;
        }

        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = threads;
            return this;
        }

        public Builder interOpThreads(int threads) {
            this.interOpThreads = threads;
            return this;
        }

        /** Threads loading model versions in parallel (default 2). */
        public Builder loaderThreads(int threads) {
            this.loaderThreads = threads;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** The installed formats (default: {@link FormatRegistry#load()}). */
        public Builder formats(FormatRegistry formats) {
            this.formats = formats;
            return this;
        }

        /** Starts the sources; models begin loading in the background. */
        public LocalInferenceService build() {
            return new LocalInferenceService(this);
        }
    }
}
