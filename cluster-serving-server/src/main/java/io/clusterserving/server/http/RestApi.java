package io.clusterserving.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import io.clusterserving.core.service.InferenceService;
import io.clusterserving.protocol.json.ErrorBodyWriter;
import io.clusterserving.protocol.json.ServingJsonFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Everything the REST handlers share: the service, the codecs (stateless, thread-safe), metrics and
 * the inference dispatcher. Built once per server, read by every event loop.
 */
final class RestApi implements AutoCloseable {
    private final RestServerSettings settings;
    private final InferenceService service;
    private final PrometheusMeterRegistry registry;
    private final JsonFactory json;
    private final ErrorBodyWriter errors;
    private final HttpMetrics metrics;
    private final InferenceDispatcher dispatcher;
    private final RestPaths paths;

    RestApi(RestServerSettings settings, InferenceService service, PrometheusMeterRegistry registry) {
        this.settings = settings;
        this.service = service;
        this.registry = registry;
        this.json = ServingJsonFactory.create(settings.maxJsonNestingDepth());
        this.errors = new ErrorBodyWriter(json);
        this.metrics = new HttpMetrics(registry);
        int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.dispatcher = new InferenceDispatcher(settings.inferenceOnEventLoop(), workers, workers * 256,
                settings.restTimeoutMillis());
        this.paths = new RestPaths(settings.metricsPath());
    }

    RestServerSettings settings() {
        return settings;
    }

    InferenceService service() {
        return service;
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    JsonFactory json() {
        return json;
    }

    ErrorBodyWriter errors() {
        return errors;
    }

    HttpMetrics metrics() {
        return metrics;
    }

    InferenceDispatcher dispatcher() {
        return dispatcher;
    }

    RestPaths paths() {
        return paths;
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
