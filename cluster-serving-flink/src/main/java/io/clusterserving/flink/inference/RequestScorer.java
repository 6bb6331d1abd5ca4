package io.clusterserving.flink.inference;

import com.fasterxml.jackson.core.JsonFactory;
import io.clusterserving.core.config.BatchingParameters;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.repository.FormatRegistry;
import io.clusterserving.core.repository.ModelLocation;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.core.service.ModelSpec;
import io.clusterserving.core.service.PredictRequest;
import io.clusterserving.core.service.PredictResult;
import io.clusterserving.flink.source.ServingRequest;
import io.clusterserving.protocol.json.ServingJsonFactory;
import io.clusterserving.protocol.tfserving.TfBodyInputs;
import io.clusterserving.protocol.tfserving.RequestFormat;
import io.clusterserving.protocol.tfserving.TfPredictRequestDecoder;
import io.clusterserving.protocol.tfserving.TfPredictResponseWriter;
import io.clusterserving.protocol.v2.V2InferRequest;
import io.clusterserving.protocol.v2.V2InferRequestDecoder;
import io.clusterserving.protocol.v2.V2InferResponseWriter;
import io.clusterserving.protocol.v2.V2OutputRequest;
import io.clusterserving.protocol.v2.V2SignatureMatcher;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Scores micro-batches of queue requests with an in-process {@link LocalInferenceService} — the same
 * repository, formats and dynamic batching as the online server. All requests of a micro-batch are
 * submitted before any is awaited, so the core's batcher merges them into one model run.
 *
 * <p>Every request gets a result: a bad one (unparseable body, unknown model or version, wrong shape)
 * gets an error result naming the problem, and its batch-mates are unaffected. Results name the model
 * and version that produced them. One scorer per Flink subtask; not thread-safe.
 */
public final class RequestScorer implements AutoCloseable {
    /** How long one micro-batch may take before its unfinished requests get DEADLINE_EXCEEDED results. */
    private static final Duration RESULT_TIMEOUT = Duration.ofMinutes(5);
    /** Lets the whole micro-batch join one core batch, which starts when the first request arrives. */
    private static final long CORE_BATCH_TIMEOUT_MICROS = 2_000;

    private final LocalInferenceService service;
    private ModelLocation location;
    private ModelLocation resolved; // made by open(settings), so closed with this scorer; null otherwise
    private final JsonFactory json = ServingJsonFactory.create();
    private final TfPredictRequestDecoder tfDecoder = new TfPredictRequestDecoder(json);
    private final TfPredictResponseWriter tfWriter = new TfPredictResponseWriter(json);
    private final V2InferRequestDecoder v2Decoder = new V2InferRequestDecoder(json);
    private final V2InferResponseWriter v2Writer = new V2InferResponseWriter(json);
    private final TopNWriter topN;

    private RequestScorer(LocalInferenceService service, ModelLocation location, InferenceSettings settings) {
        this.service = service;
        this.location = location;
        this.topN = settings.postProcessing().isNone() ? null : new TopNWriter(json, settings.postProcessing().topN());
    }

    /**
     * Loads the models of {@code settings.modelPath()} and waits until each has an available version.
     *
     * @throws ServingException UNAVAILABLE when they are not ready within the load timeout
     */
    public static RequestScorer open(InferenceSettings settings) {
        ModelLocation resolved = ModelLocation.resolve(settings.modelPath(), settings.modelName(),
                formatsOfOurClassLoader());
        try {
            RequestScorer scorer = open(settings, resolved);
            scorer.resolved = resolved;
            return scorer;
        } catch (RuntimeException e) {
            resolved.close();
            throw e;
        }
    }

    /** Serves the models of {@code location} (e.g. a task's own repository fed by the model stream). */
    public static RequestScorer open(InferenceSettings settings, ModelLocation location) {
        int maxBatch = Math.max(settings.batchSize(), 256);
        LocalInferenceService service = LocalInferenceService.builder()
                .formats(formatsOfOurClassLoader())
                .models(location.models())
                .fileSystemPollInterval(Duration.ofSeconds(settings.modelPollSeconds()))
                .intraOpThreads(settings.threadPerModel())
                .interOpThreads(1)
                .loaderThreads(1)
                .batching(new BatchingParameters(maxBatch, CORE_BATCH_TIMEOUT_MICROS, 64, 1, List.of(), false))
                .build();
        if (!service.awaitReady(settings.loadTimeout())) {
            service.close();
            throw ServingException.unavailable("models %s under %s did not become available within %s",
                    location.modelNames(), settings.modelPath(), settings.loadTimeout());
        }
        return new RequestScorer(service, location, settings);
    }

    /**
     * Rescans the models now (after a new version directory appeared, or a new model). The core
     * loads new versions in the background and keeps serving the current ones until they are ready.
     */
    public void reload(ModelLocation next) {
        location = next;
        service.reloadModels(next.models());
    }

    /**
     * The model formats visible to the class loader that loaded this class (and the core it links
     * against). In a Flink task the thread's context loader is the job's user-code loader; when it is not
     * the one that loaded the core (e.g. our classes from the parent, formats from shipped jars), the
     * formats it finds implement a different ModelFormat class and fail with "not a subtype".
     */
    private static FormatRegistry formatsOfOurClassLoader() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(RequestScorer.class.getClassLoader());
        try {
            return FormatRegistry.load();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public ModelLocation location() {
        return location;
    }

    /** The underlying service (status, stats, metrics). */
    public LocalInferenceService service() {
        return service;
    }

    /** One result per request, in the same order. */
    public List<ServingResult> score(List<ServingRequest> batch) {
        List<Pending> pending = new ArrayList<>(batch.size());
        for (ServingRequest r : batch) {
            pending.add(submit(r));
        }
        long deadline = System.nanoTime() + RESULT_TIMEOUT.toNanos();
        List<ServingResult> results = new ArrayList<>(batch.size());
        for (Pending p : pending) {
            results.add(p.immediate != null ? p.immediate : await(p, deadline));
        }
        return results;
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            if (resolved != null) {
                resolved.close();
            }
        }
    }

    /** A submitted request: its future and how to write its answer, or an immediate (error) result. */
    private record Pending(ServingRequest request, ModelSpec spec, CompletableFuture<PredictResult> future,
                           BodyWriter writer, ServingResult immediate) {
    }

    private interface BodyWriter {
        String write(PredictResult result);
    }

    private Pending submit(ServingRequest r) {
        if (r.isRejected()) {
            return new Pending(r, null, null, null, ServingResult.failure(r, r.model(), r.version(), r.rejection()));
        }
        String modelName = r.model() != null ? r.model() : location.defaultModel();
        try {
            if (modelName == null) {
                throw ServingException.invalidArgument("request names no model and modelPath holds several: %s; "
                        + "set field 'model'", location.modelNames());
            }
            byte[] body = r.data().getBytes(StandardCharsets.UTF_8);
            ModelSpec spec;
            PredictRequest request;
            BodyWriter writer;
            if (RequestBodyKind.detect(json, body) == RequestBodyKind.V2) {
                V2InferRequest v2 = v2Decoder.decode(body, 0, body.length, -1);
                Set<String> filter = new LinkedHashSet<>();
                for (V2OutputRequest o : v2.outputs()) {
                    filter.add(o.name());
                }
                spec = new ModelSpec(modelName, r.version(), null, null);
                request = new PredictRequest(spec, sig -> V2SignatureMatcher.match(modelName, sig, v2), filter);
                writer = result -> writeV2(result, v2);
            } else {
                String signatureName = tfDecoder.signatureName(body, 0, body.length);
                spec = new ModelSpec(modelName, r.version(), null, signatureName);
                TfBodyInputs inputs = new TfBodyInputs(tfDecoder, body);
                request = new PredictRequest(spec, inputs, Set.of());
                writer = result -> write(result, inputs.format());
            }
            return new Pending(r, spec, service.predict(request), writer, null);
        } catch (RuntimeException e) {
            return new Pending(r, null, null, null,
                    ServingResult.failure(r, modelName, r.version(), ServingException.from(e).getMessage()));
        }
    }

    private ServingResult await(Pending p, long deadline) {
        ServingRequest r = p.request;
        try {
            PredictResult result = p.future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return ServingResult.success(r, result.modelName(), result.version(), p.writer.write(result));
        } catch (ExecutionException e) {
            return ServingResult.failure(r, p.spec.name(), r.version(), ServingException.from(e.getCause()).getMessage());
        } catch (TimeoutException e) {
            p.future.cancel(false);
            return ServingResult.failure(r, p.spec.name(), r.version(), new ServingException(
                    StatusCode.DEADLINE_EXCEEDED, p.spec.describe() + " did not answer within " + RESULT_TIMEOUT)
                    .getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServingException.unavailable("interrupted while waiting for %s", p.spec.describe());
        } catch (RuntimeException e) {
            // Writing the body failed (e.g. post-processing does not fit the model's output).
            return ServingResult.failure(r, p.spec.name(), r.version(), ServingException.from(e).getMessage());
        }
    }

    private String write(PredictResult result, RequestFormat format) {
        if (topN != null) {
            return topN.write(result);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        tfWriter.write(result, format, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private String writeV2(PredictResult result, V2InferRequest request) {
        if (topN != null) {
            return topN.write(result);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (v2Writer.write(result, request, out) >= 0) {
            throw ServingException.invalidArgument("binary tensor outputs cannot be stored in a queue result; "
                    + "remove 'binary_data' / 'binary_data_output' from the request");
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
