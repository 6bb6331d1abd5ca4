package io.clusterserving.queue.worker;

import com.fasterxml.jackson.core.JsonFactory;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.service.InferenceService;
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
 * <p>Holds only thread-safe codecs; {@link #score} may be called from several threads.
 */
public final class QueueScorer {
    private final InferenceService service;
    private final Supplier<String> defaultModel;
    private final Duration resultTimeout;
    private final ResultWriter postProcessing;
    private final PredictBodyCodec bodies;

    /** Writes a result's answer in place of the REST API's body (e.g. the job's topN post-processing). */
    @FunctionalInterface
    public interface ResultWriter {
        String write(PredictResult result);
    }

    /**
     * @param defaultModel   the model of requests that name none, or null for the service's only model
     *                       (a request naming no model is an error when the service has several)
     * @param resultTimeout  how long one {@link #score} call waits for its results; requests unanswered
     *                       by then get DEADLINE_EXCEEDED results
     * @param postProcessing writes every answer instead of the REST API's body; null for the REST body
     */
    public QueueScorer(InferenceService service, Supplier<String> defaultModel, Duration resultTimeout,
                       ResultWriter postProcessing, JsonFactory json) {
        if (resultTimeout.isNegative() || resultTimeout.isZero()) {
            throw new IllegalArgumentException("result timeout must be positive, got " + resultTimeout);
        }
        this.service = service;
        this.defaultModel = defaultModel;
        this.resultTimeout = resultTimeout;
        this.postProcessing = postProcessing;
        this.bodies = new PredictBodyCodec(json);
    }

    /**
     * One result per request, in the same order. All requests are submitted before any is awaited, so
     * a batching service merges them into one model run.
     */
    public List<QueueResult> score(List<QueueRequest> batch) {
        List<Pending> pending = new ArrayList<>(batch.size());
        for (QueueRequest r : batch) {
            pending.add(submit(r));
        }
        long deadline = System.nanoTime() + resultTimeout.toNanos();
        List<QueueResult> results = new ArrayList<>(batch.size());
        for (Pending p : pending) {
            results.add(p.immediate != null ? p.immediate : await(p, deadline));
        }
        return results;
    }

    /** A submitted request: the call and its future, or an immediate (error) result. */
    private record Pending(QueueRequest request, String model, PredictCall call,
                           CompletableFuture<PredictResult> future, QueueResult immediate) {
    }

    private Pending submit(QueueRequest r) {
        if (r.isRejected()) {
            return new Pending(r, null, null, null,
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
            return new Pending(r, model, call, service.predict(call.request()), null);
        } catch (RuntimeException e) {
            return new Pending(r, null, null, null, failure(r, model, e));
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

    private QueueResult await(Pending p, long deadline) {
        QueueRequest r = p.request;
        PredictResult result;
        try {
            result = p.future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            return failure(r, p.model, e.getCause());
        } catch (TimeoutException e) {
            p.future.cancel(false);
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
