package io.clusterserving.server.queue;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.service.InferenceService;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.service.PredictRequest;
import io.clusterserving.core.service.PredictResult;
import io.clusterserving.core.service.RawPredictBackend;
import io.clusterserving.core.stats.ServingStats;
import io.clusterserving.queue.client.InputQueue;
import io.clusterserving.queue.client.KafkaQueueClient;
import io.clusterserving.queue.client.OutputQueue;
import io.clusterserving.queue.client.QueueClientSettings;
import io.clusterserving.queue.client.RedisQueueClient;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The frontend side of Cluster Serving: an {@link InferenceService} with no models of its own that puts
 * each REST predict body on a queue (Redis stream or Kafka topic) under a fresh uri and answers with
 * the result the workers (the Flink job) write back — their {@code value} verbatim, or their
 * {@code error} with its {@code code} (INVALID_ARGUMENT when the result names none).
 *
 * <p>Only predict travels through the queue. Model status, metadata, listings and stats live in the
 * job, so they answer UNIMPLEMENTED naming the backend; {@link #isReady()} means "the queue answers".
 * Tensor-level {@link #predict} (the gRPC frontend's path) is UNIMPLEMENTED too: the queue carries
 * REST bodies, and turning results back into tensors would need the model's signature.
 */
public final class QueueInferenceService implements InferenceService, RawPredictBackend {
    private static final System.Logger LOG = System.getLogger(QueueInferenceService.class.getName());
    /** Results of requests whose REST call already timed out stay here until dropped; keep few. */
    private static final int LATE_RESULT_BUFFER = 64;

    private final InputQueue queue;
    private final OutputQueue lateResults;
    private final QueueBackend backend;
    private final Duration timeout;
    private final BooleanSupplier readiness;
    private final AutoCloseable resources;

    <Q extends InputQueue & OutputQueue> QueueInferenceService(Q queue, QueueBackend backend, Duration timeout,
                                                               BooleanSupplier readiness, AutoCloseable resources) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.queue = queue;
        this.lateResults = queue;
        this.backend = backend;
        this.timeout = timeout;
        this.readiness = readiness;
        this.resources = resources;
    }

    /**
     * Connects to the backend's queue.
     *
     * @param timeout how long a predict waits for its result before failing with DEADLINE_EXCEEDED
     * @throws ServingException UNAVAILABLE when the queue cannot be reached
     */
    public static QueueInferenceService connect(QueueBackend backend, Duration timeout) {
        QueueClientSettings options = new QueueClientSettings(LATE_RESULT_BUFFER,
                QueueClientSettings.DEFAULTS.replyTtl(), QueueClientSettings.DEFAULTS.pollInterval());
        if (backend instanceof QueueBackend.Redis redis) {
            RedisQueueClient client = RedisQueueClient.connect(redis.endpoint(), redis.jobName(), options);
            RedisPing ping;
            try {
                ping = RedisPing.open(redis.endpoint());
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
            return new QueueInferenceService(client, backend, timeout, ping::isUp, ping);
        }
        QueueBackend.Kafka kafka = (QueueBackend.Kafka) backend;
        KafkaQueueClient client = KafkaQueueClient.connect(kafka.settings(), options);
        // The client fails to connect when the brokers or the output topic are missing, and Kafka's own
        // clients reconnect by themselves; there is no cheap per-call probe, so a connected client is ready.
        return new QueueInferenceService(client, backend, timeout, () -> true, () -> { });
    }

    public QueueBackend backend() {
        return backend;
    }

    @Override
    public CompletableFuture<byte[]> predictRaw(ModelSpec spec, byte[] body) {
        if (spec.label() != null) {
            return CompletableFuture.failedFuture(ServingException.invalidArgument(
                    "version labels cannot be resolved through the %s backend (the queue carries a model name and "
                            + "version number); ask for a version number instead of label '%s'", backend.kind(),
                    spec.label()));
        }
        discardLateResults();
        QueueRequest request = new QueueRequest(UUID.randomUUID().toString(), spec.name(), spec.version(), null,
                new String(body, StandardCharsets.UTF_8));
        return queue.predictAsync(request, timeout).thenApply(QueueInferenceService::answer);
    }

    /**
     * Results that came after their REST call timed out land in the client's dequeue buffer; nobody
     * wants them, so they are dropped here instead of filling the buffer.
     */
    private void discardLateResults() {
        List<QueueResult> late = lateResults.dequeue();
        if (!late.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "dropped {0} results that arrived after their request timed out",
                    late.size());
        }
    }

    private static byte[] answer(QueueResult result) {
        if (result.isError()) {
            throw new ServingException(result.code() == null ? StatusCode.INVALID_ARGUMENT : result.code(),
                    result.error());
        }
        return result.value().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CompletableFuture<PredictResult> predict(PredictRequest request) {
        return CompletableFuture.failedFuture(ServingException.unimplemented(
                "tensor predict (gRPC) is not available through the %s backend; use the REST API "
                        + "(POST /v1/models/<m>:predict or /v2/models/<m>/infer)", backend.kind()));
    }

    @Override
    public ModelMetadata metadata(ModelSpec spec) {
        throw notHere("model metadata");
    }

    @Override
    public List<ModelVersionStatus> status(ModelSpec spec) {
        throw notHere("model status");
    }

    /** The frontend knows no models; the listing is empty rather than an error so {@code /v1/models} answers. */
    @Override
    public List<String> modelNames() {
        return List.of();
    }

    @Override
    public List<ServingStats> stats(String modelName) {
        throw notHere("serving statistics");
    }

    /** True while the queue answers (Redis: a PING within a second; Kafka: the client is connected). */
    @Override
    public boolean isReady() {
        return readiness.getAsBoolean();
    }

    @Override
    public void close() {
        try {
            queue.close();
        } finally {
            try {
                resources.close();
            } catch (Exception e) {
                // closing is best effort; the process is usually stopping
            }
        }
    }

    private ServingException notHere(String what) {
        return ServingException.unimplemented("%s is not available through the %s backend %s; ask the "
                + "Cluster Serving job", what, backend.kind(), backend.describe());
    }
}
