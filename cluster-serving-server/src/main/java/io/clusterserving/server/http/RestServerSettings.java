package io.clusterserving.server.http;

/**
 * How the REST server listens and guards itself; field names follow tensorflow_model_server's flags
 * where one exists.
 *
 * @param host                 address to bind (0.0.0.0 = all)
 * @param restPort             REST port ({@code --rest_api_port}, 8501; 0 = pick a free port)
 * @param maxRequestBytes      largest request body after decompression; larger answers 413
 * @param maxJsonNestingDepth  deepest JSON nesting accepted
 * @param restTimeoutMillis    per-request deadline ({@code --rest_api_timeout_in_ms}, 30000; 0 = none)
 * @param metricsPath          extra path serving Prometheus metrics besides {@code /metrics}
 * @param eventLoops           Vert.x event loop threads
 * @param inferenceOnEventLoop run predict calls inline on the event loop (fastest for CPU-light models,
 *                             and with batching the batcher's threads run the model anyway); false
 *                             hands them to a bounded worker pool
 */
public record RestServerSettings(String host, int restPort, long maxRequestBytes, int maxJsonNestingDepth,
                            long restTimeoutMillis, String metricsPath, int eventLoops,
                            boolean inferenceOnEventLoop) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_REST_PORT = 8501;
    public static final long DEFAULT_MAX_REQUEST_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_JSON_NESTING_DEPTH = 64;
    public static final long DEFAULT_REST_TIMEOUT_MILLIS = 30_000;
    public static final String DEFAULT_METRICS_PATH = "/monitoring/prometheus/metrics";

    public RestServerSettings {
        if (host == null || host.isBlank()) {
            host = DEFAULT_HOST;
        }
        if (restPort < 0 || restPort > 65535) {
            throw new IllegalArgumentException("restPort must be in [0, 65535], got " + restPort);
        }
        if (maxRequestBytes < 1 || maxRequestBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxRequestBytes must be in [1, 2^31-9], got " + maxRequestBytes);
        }
        if (maxJsonNestingDepth < 2) {
            throw new IllegalArgumentException("maxJsonNestingDepth must be >= 2, got " + maxJsonNestingDepth);
        }
        if (restTimeoutMillis < 0) {
            throw new IllegalArgumentException("restTimeoutMillis must be >= 0, got " + restTimeoutMillis);
        }
        if (metricsPath == null || metricsPath.isBlank()) {
            metricsPath = DEFAULT_METRICS_PATH;
        } else if (!metricsPath.startsWith("/")) {
            metricsPath = "/" + metricsPath;
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be >= 1, got " + eventLoops);
        }
    }

    public static RestServerSettings defaults() {
        return new RestServerSettings(DEFAULT_HOST, DEFAULT_REST_PORT, DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_MAX_JSON_NESTING_DEPTH, DEFAULT_REST_TIMEOUT_MILLIS, DEFAULT_METRICS_PATH,
                Runtime.getRuntime().availableProcessors(), true);
    }

    public RestServerSettings withHost(String v) {
        return new RestServerSettings(v, restPort, maxRequestBytes, maxJsonNestingDepth, restTimeoutMillis, metricsPath,
                eventLoops, inferenceOnEventLoop);
    }

    public RestServerSettings withRestPort(int v) {
        return new RestServerSettings(host, v, maxRequestBytes, maxJsonNestingDepth, restTimeoutMillis, metricsPath,
                eventLoops, inferenceOnEventLoop);
    }

    public RestServerSettings withMaxRequestBytes(long v) {
        return new RestServerSettings(host, restPort, v, maxJsonNestingDepth, restTimeoutMillis, metricsPath,
                eventLoops, inferenceOnEventLoop);
    }

    public RestServerSettings withMaxJsonNestingDepth(int v) {
        return new RestServerSettings(host, restPort, maxRequestBytes, v, restTimeoutMillis, metricsPath,
                eventLoops, inferenceOnEventLoop);
    }

    public RestServerSettings withRestTimeoutMillis(long v) {
        return new RestServerSettings(host, restPort, maxRequestBytes, maxJsonNestingDepth, v, metricsPath,
                eventLoops, inferenceOnEventLoop);
    }

    public RestServerSettings withEventLoops(int v) {
        return new RestServerSettings(host, restPort, maxRequestBytes, maxJsonNestingDepth, restTimeoutMillis, metricsPath,
                v, inferenceOnEventLoop);
    }

    public RestServerSettings withInferenceOnEventLoop(boolean v) {
        return new RestServerSettings(host, restPort, maxRequestBytes, maxJsonNestingDepth, restTimeoutMillis, metricsPath,
                eventLoops, v);
    }
}
