package io.clusterserving.cli.serve;

import io.clusterserving.core.config.BatchingParameters;
import io.clusterserving.core.config.BatchingParametersFile;
import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.MonitoringConfig;
import io.clusterserving.core.repository.ModelRepository;
import io.clusterserving.core.service.InferenceService;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.server.grpc.GrpcServer;
import io.clusterserving.server.grpc.GrpcServerSettings;
import io.clusterserving.server.http.RestServer;
import io.clusterserving.server.http.RestServerSettings;
import io.clusterserving.server.queue.QueueBackend;
import io.clusterserving.server.queue.QueueInferenceService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Builds the inference service and the HTTP server from the flags, and reports startup readably. */
public final class ServerStartup {
    private static final Logger log = LoggerFactory.getLogger("cluster-serving");

    /** How long startup waits for the first load of every model before reporting what it has. */
    static final Duration INITIAL_LOAD_WAIT = Duration.ofMinutes(2);

    /** How long a queued predict waits for its result when --rest_api_timeout_in_ms is 0 (no deadline). */
    static final Duration QUEUE_WAIT_WITHOUT_DEADLINE = Duration.ofHours(1);

    private ServerStartup() {
    }

    /** Serves until SIGTERM/SIGINT; returns the exit code. */
    static int serveUntilStopped(ServerFlags flags, ModelSource source) throws InterruptedException {
        return serveUntilStopped(() -> start(flags, source));
    }

    /** Starts what {@code starter} starts and serves until SIGTERM/SIGINT; returns the exit code. */
    static int serveUntilStopped(Supplier<RunningServer> starter) throws InterruptedException {
        RunningServer running = starter.get();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            running.close();
            log.info("stopped");
        }, "cluster-serving-shutdown"));
        running.awaitClosed();
        return 0;
    }

    /** Starts the service and the server, waits for the first model loads and logs what is served. */
    public static RunningServer start(ServerFlags flags, ModelSource source) {
        long startNanos = System.nanoTime();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InferenceService service = buildService(flags, source, registry);
        RunningServer running;
        RestServer rest = null;
        try {
            rest = RestServer.start(restSettings(flags), service, registry);
            GrpcServer grpc = GrpcServer.start(grpcSettings(flags), service, registry);
            running = new RunningServer(rest, rest.port(), grpc, grpc.port(), service);
        } catch (RuntimeException e) {
            if (rest != null) {
                rest.close();
            }
            service.close();
            throw e;
        }
        String host = "0.0.0.0".equals(flags.restApiHost()) ? "localhost" : flags.restApiHost();
        log.info("REST API (TF Serving + V2) on http://{}:{} (bound to {})", host, running.restPort(),
                flags.restApiHost());
        log.info("gRPC (TF Serving PredictionService/ModelService + V2 GRPCInferenceService) on {}:{}",
                host, running.grpcPort());

        StartupReport report = StartupReport.waitForInitialLoad(service, INITIAL_LOAD_WAIT,
                Duration.ofSeconds(Math.max(2, 2 * flags.fileSystemPollWaitSeconds())));
        for (StartupReport.Line line : report.lines()) {
            if (line.problem()) {
                log.warn("{}", line.text());
            } else {
                log.info("{}", line.text());
            }
        }
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        if (report.allAvailable()) {
            log.info("ready in {} ms", millis);
        } else {
            log.warn("started in {} ms, but not every model is available (see above)", millis);
        }
        return running;
    }

    /**
     * Starts the REST frontend over a Cluster Serving queue: predict bodies go to the queue, the job's
     * answers come back verbatim. No gRPC server (the queue carries REST bodies only) and no local models.
     */
    public static RunningServer startQueueFrontend(ServerFlags flags, QueueBackend backend) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // A little longer than the REST deadline, so the REST layer's 504 (naming the flag) answers first.
        Duration wait = flags.restApiTimeoutMillis() > 0 ? Duration.ofMillis(flags.restApiTimeoutMillis() + 1_000)
                : QUEUE_WAIT_WITHOUT_DEADLINE;
        QueueInferenceService service = QueueInferenceService.connect(backend, wait);
        RestServer rest;
        try {
            rest = RestServer.start(restSettings(flags), service, registry);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        String host = "0.0.0.0".equals(flags.restApiHost()) ? "localhost" : flags.restApiHost();
        log.info("REST API (TF Serving + V2 predict) on http://{}:{} (bound to {}), forwarding to {} backend {}", host,
                rest.port(), flags.restApiHost(), backend.kind(), backend.describe());
        log.info("no gRPC server and no local models with --backend; model status and metadata live in the "
                + "Cluster Serving job");
        return new RunningServer(rest, rest.port(), null, -1, service);
    }

    static InferenceService buildService(ServerFlags flags, ModelSource source, PrometheusMeterRegistry registry) {
        var builder = LocalInferenceService.builder()
                .fileSystemPollSeconds(flags.fileSystemPollWaitSeconds())
                .batching(batching(flags))
                .maxLoadRetries(flags.maxNumLoadRetries())
                .loadRetryIntervalMicros(flags.loadRetryIntervalMicros())
                .intraOpThreads(flags.intraOpThreads())
                .interOpThreads(flags.interOpThreads())
                .meterRegistry(registry);
        if (source instanceof ModelSource.BasePath single) {
            log.info("serving model '{}' from {}", single.modelName(), single.basePath());
            builder.models(List.of(ModelConfig.of(single.modelName(), single.basePath())));
        } else if (source instanceof ModelSource.ConfigFile file) {
            log.info("serving the models of {}{}", file.file(),
                    file.pollSeconds() > 0 ? " (re-read every " + file.pollSeconds() + " s)" : "");
            builder.modelConfigFile(file.file(), file.pollSeconds());
        } else if (source instanceof ModelSource.Repository repository) {
            List<ModelConfig> models = ModelRepository.discover(repository.directory());
            if (models.isEmpty()) {
                log.warn("no models in repository {} (expected <model>/<version>/...)", repository.directory());
            }
            log.info("serving the model repository {} ({} models)", repository.directory(), models.size());
            builder.models(models);
        }
        return builder.build();
    }

    static BatchingParameters batching(ServerFlags flags) {
        Path file = flags.batchingParametersFile();
        if (!flags.enableBatching()) {
            if (file != null) {
                log.warn("--batching_parameters_file {} is ignored without --enable_batching", file);
            }
            return null;
        }
        BatchingParameters parameters = file == null ? BatchingParameters.defaults() : BatchingParametersFile.read(file);
        log.info("batching on: max_batch_size {}, batch_timeout_micros {}, max_enqueued_batches {}, "
                        + "num_batch_threads {}", parameters.maxBatchSize(), parameters.batchTimeoutMicros(),
                parameters.maxEnqueuedBatches(), parameters.numBatchThreads());
        return parameters;
    }

    static GrpcServerSettings grpcSettings(ServerFlags flags) {
        int threads = flags.grpcMaxThreads() > 0 ? flags.grpcMaxThreads() : GrpcServerSettings.defaultThreads();
        return new GrpcServerSettings(flags.restApiHost(), flags.grpcPort(), flags.grpcMaxMessageSize(), threads,
                flags.grpcInferenceOnEventLoop());
    }

    static RestServerSettings restSettings(ServerFlags flags) {
        String metricsPath = RestServerSettings.DEFAULT_METRICS_PATH;
        if (flags.monitoringConfigFile() != null) {
            MonitoringConfig monitoring = MonitoringConfig.read(flags.monitoringConfigFile());
            if (monitoring.prometheusEnabled()) {
                metricsPath = monitoring.prometheusPath();
            } else {
                log.info("{} turns Prometheus off; metrics are still served on /metrics",
                        flags.monitoringConfigFile());
            }
        }
        return new RestServerSettings(flags.restApiHost(), flags.restApiPort(), flags.restApiMaxBodyBytes(),
                RestServerSettings.DEFAULT_MAX_JSON_NESTING_DEPTH, flags.restApiTimeoutMillis(), metricsPath,
                flags.eventLoops(), flags.inferenceOnEventLoop());
    }
}
