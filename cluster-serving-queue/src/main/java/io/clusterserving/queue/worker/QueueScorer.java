package io.clusterserving.queue.worker;

import com.fasterxml.jackson.core.JsonFactory;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.service.InferenceService;
import io.clusterserving.core.service.PredictRequest;
import io.clusterserving.core.service.PredictResult;
import io.clusterserving.protocol.predict.PredictBodyCodec;
import io.clusterserving.protocol.predict.PredictCall;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The worker's step of Cluster Serving: queue requests in, one queue result each out. Reads each
 * request's {@code data} as the REST API would (the body decides between TF Serving and V2, through
 * {@link PredictBodyCodec}), runs it through an {@link InferenceService}, and answers with the JSON
 * body the REST API would answer, so a REST frontend over the queue can return it verbatim. The Flink
 * job and any other worker run this one step.
 *
 * <p>Every request gets a result, and every error result carries its canonical {@code code}:
 * INVALID_ARGUMENT for an entry that could not be decoded or a bad body, NOT_FOUND for an unknown model
 * or version, DEADLINE_EXCEEDED for a request not answered within the result timeout, and so on — so a
 * frontend answers the same status as the direct server. Results name the model and version that
 * produced them and carry the request's routing ({@code replyTo}, {@code ackId}).
 *
 * <p>Holds only thread-safe codecs and the runner; {@link #score} may be called from several threads.
 */
public final class QueueScorer {
    private final InferenceService service;
    private final Supplier<String> defaultModel;
    private final Duration resultTimeout;
    private final ResultWriter postProcessing;
    private final PredictBodyCodec bodies;
    private final Executor modelRunner;

    /** Writes a result's answer in place of the REST API's body (e.g. the job's topN post-processing). */
    @FunctionalInterface
    public interface ResultWriter {
        String write(PredictResult result);
    }

    /**
     * A scorer that runs each micro-batch on the calling thread; {@link #score} returns once it has run.
     *
     * @param defaultModel   the model of requests that name none, or null for the service's only model
     *                       (a request naming no model is an error when the service has several)
     * @param resultTimeout  how long one {@link #score} call waits for its results; requests unanswered
     *                       by then get DEADLINE_EXCEEDED results
     * @param postProcessing writes every answer instead of the REST API's body; null for the REST body
     */
    public QueueScorer(InferenceService service, Supplier<String> defaultModel, Duration resultTimeout,
                       ResultWriter postProcessing, JsonFactory json) {
        this(service, defaultModel, resultTimeout, postProcessing, json, Runnable::run);
    }

    /**
     * @param modelRunner runs each micro-batch's model calls (requests are decoded and checked on the
     *                    caller's thread); with a thread of its own, {@link #score} stops waiting at the
     *                    result timeout even while a model call is still running. A runner that rejects
     *                    the batch (its queue is full) gives RESOURCE_EXHAUSTED results.
     */
    public QueueScorer(InferenceService service, Supplier<String> defaultModel, Duration resultTimeout,
                       ResultWriter postProcessing, JsonFactory json, Executor modelRunner) {
        if (resultTimeout.isNegative() || resultTimeout.isZero()) {
            throw new IllegalArgumentException("result timeout must be positive, got " + resultTimeout);
        }
        this.service = service;
        this.defaultModel = defaultModel;
        this.resultTimeout = resultTimeout;
        this.postProcessing = postProcessing;
        this.bodies = new PredictBodyCodec(json);
        this.modelRunner = modelRunner;
    }

    /**
     * One result per request, in the same order. The decoded requests reach the service as one batch
     * ({@link InferenceService#predictAll}), which runs those for the same model and signature as one
     * model call.
     */
    public List<QueueResult> score(List<QueueRequest> batch) {
        List<Pending> pending = new ArrayList<>(batch.size());
        List<PredictRequest> calls = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Pending p = decode(batch.get(i), calls.size());
            if (p.call != null) {
                calls.add(p.call.request());
            }
            pending.add(p);
        }
        long deadline = System.nanoTime() + resultTimeout.toNanos();
        List<CompletableFuture<PredictResult>> answers = calls.isEmpty() ? List.of()
                : service.predictAll(calls, modelRunner);
        List<QueueResult> results = new ArrayList<>(batch.size());
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            results.add(p.immediate != null ? p.immediate : await(p, answers.get(p.slot), deadline));
        }
        return results;
    }

    /** A decoded request: its call and its place in the batch sent to the service, or an immediate result. */
    private record Pending(QueueRequest request, String model, PredictCall call, int slot, QueueResult immediate) {
    }

    private Pending decode(QueueRequest r, int slot) {
        if (r.isRejected()) {
            return new Pending(r, null, null, -1,
                    QueueResult.failure(r, StatusCode.INVALID_ARGUMENT, r.rejection()));
        }
        String model = r.model();
        try {
            if (model == null) {
                model = defaultModelOf(r);
            }
            byte[] body = r.data().getBytes(StandardCharsets.UTF_8);
            PredictCall call = bodies.read(bodies.apiOf(body, 0, body.length), model, r.version(), null, body, 0,
                    body.length, -1);
            return new Pending(r, model, call, slot, null);
        } catch (RuntimeException e) {
            return new Pending(r, null, null, -1, failure(r, model, e));
        }
    }

    private String defaultModelOf(QueueRequest r) {
        String model = defaultModel == null ? null : defaultModel.get();
        if (model != null) {
            return model;
        }
        List<String> names = service.modelNames();
        if (names.size() == 1) {
            return names.get(0);
        }
        throw ServingException.invalidArgument("request '%s' names no model and the worker serves %s; "
                + "set field 'model'", r.uri(), names.isEmpty() ? "none" : names);
    }

    private QueueResult await(Pending p, CompletableFuture<PredictResult> answer, long deadline) {
        QueueRequest r = p.request;
        PredictResult result;
        try {
            result = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            return failure(r, p.model, e.getCause());
        } catch (TimeoutException e) {
            return QueueResult.failure(r, p.model, r.version(), StatusCode.DEADLINE_EXCEEDED, "request '" + r.uri()
                    + "' for " + p.call.request().model().describe() + " did not finish within " + resultTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServingException.unavailable("interrupted while waiting for request '%s'", r.uri());
        }
        try {
            return QueueResult.success(r, result.modelName(), result.version(), answer(p.call, result));
        } catch (RuntimeException e) {
            // Writing the answer failed (e.g. post-processing that does not fit the model's output).
            ServingException error = ServingException.from(e);
            return QueueResult.failure(r, result.modelName(), result.version(), error.code(), error.getMessage());
        }
    }

    private String answer(PredictCall call, PredictResult result) {
        if (postProcessing != null) {
            return postProcessing.write(result);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (call.writeAnswer(result, out) >= 0) {
            throw ServingException.invalidArgument("binary tensor outputs cannot be stored in a queue result; "
                    + "remove 'binary_data' / 'binary_data_output' from the request");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static QueueResult failure(QueueRequest r, String model, Throwable error) {
        ServingException e = ServingException.from(error);
        return QueueResult.failure(r, model != null ? model : r.model(), r.version(), e.code(), e.getMessage());
    }
}
