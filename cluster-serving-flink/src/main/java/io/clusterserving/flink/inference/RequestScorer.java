package io.clusterserving.flink.inference;

import com.fasterxml.jackson.core.JsonFactory;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.repository.FormatRegistry;
import io.clusterserving.core.repository.ModelLocation;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.protocol.json.ServingJsonFactory;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.worker.QueueScorer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One subtask's models: an in-process {@link LocalInferenceService} — the same repository and formats as
 * the online server — over the models of a {@link ModelLocation}, scored through the worker step every
 * queue worker runs ({@link QueueScorer}), with the job's topN post-processing.
 *
 * <p>The operator's micro-batch is the batch: it reaches the model as one call per model and signature
 * ({@link LocalInferenceService#predictAll}), so the service runs without the core batcher. Model calls
 * run on one runner thread (bad requests are answered at once on the operator's), so a micro-batch that
 * overruns the result timeout is answered DEADLINE_EXCEEDED while its call finishes.
 *
 * <p>Every request gets a result; a bad one gets an error result with its code, and its batch-mates
 * are unaffected. One scorer per Flink subtask.
 */
public final class RequestScorer implements AutoCloseable {
    /**
     * Micro-batches that may wait behind a model call that overran the result timeout; beyond them the
     * operator gets RESOURCE_EXHAUSTED results instead of queueing without bound behind a stuck model.
     */
    private static final int WAITING_BATCHES = 16;

    private final LocalInferenceService service;
    private final ThreadPoolExecutor modelRunner;
    private volatile ModelLocation location;
    private ModelLocation resolved; // made by open(settings), so closed with this scorer; null otherwise
    private final QueueScorer step;

    private RequestScorer(LocalInferenceService service, ModelLocation location, InferenceSettings settings) {
        this.service = service;
        this.location = location;
        JsonFactory json = ServingJsonFactory.create();
        TopNWriter topN = settings.postProcessing().isNone() ? null
                : new TopNWriter(json, settings.postProcessing().topN());
        this.modelRunner = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(WAITING_BATCHES), runnable -> {
                    Thread thread = new Thread(runnable, "model-runner-" + location.modelNames());
                    thread.setDaemon(true);
                    return thread;
                });
        this.step = new QueueScorer(service, () -> this.location.defaultModel(), settings.resultTimeout(),
                topN == null ? null : topN::write, json, modelRunner);
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
        LocalInferenceService service = LocalInferenceService.builder()
                .formats(formatsOfOurClassLoader())
                .models(location.models())
                .fileSystemPollInterval(Duration.ofSeconds(settings.modelPollSeconds()))
                .intraOpThreads(settings.threadPerModel())
                .interOpThreads(1)
                .loaderThreads(1)
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
    public List<QueueResult> score(List<QueueRequest> batch) {
        return step.score(batch);
    }

    @Override
    public void close() {
        modelRunner.shutdown(); // the service's close lets a running call finish
        try {
            service.close();
        } finally {
            if (resolved != null) {
                resolved.close();
            }
        }
    }
}
