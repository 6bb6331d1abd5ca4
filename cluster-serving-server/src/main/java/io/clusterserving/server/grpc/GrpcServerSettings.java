package io.clusterserving.server.grpc;

/**
 * How the gRPC server listens and runs its calls.
 *
 * @param host            address to bind ("0.0.0.0" for all interfaces, as TF Serving binds)
 * @param port            port to bind; 0 picks a free port ({@link GrpcServer#port()} tells which)
 * @param maxMessageBytes largest request or response message accepted
 * @param threads         threads running request handlers (decoding, encoding, metadata, status)
 * @param inferenceOnEventLoop run inference calls (Predict, Classify, Regress, MultiInference,
 *                        ModelInfer) on the Netty event loop that read them: no thread hop, the
 *                        fastest path for models taking microseconds; false runs them on the
 *                        handler threads, better for models taking many milliseconds. Every other
 *                        method (status, metadata, reload) always runs on the handler threads.
 */
public record GrpcServerSettings(String host, int port, int maxMessageBytes, int threads, boolean inferenceOnEventLoop) {
    /** TF Serving's gRPC port. */
    public static final int DEFAULT_PORT = 8500;
    /**
     * 256 MiB. TF Serving accepts up to 2 GiB - 1 (it sets no limit below protobuf's); we keep a bound
     * that still takes any realistic tensor but stops a runaway client from exhausting the heap.
     */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    public GrpcServerSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is missing");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be > 0, got " + maxMessageBytes);
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be > 0, got " + threads);
        }
    }

    /** 0.0.0.0:8500, 256 MiB messages, 4 threads per core (TF Serving's grpc_max_threads default), inline inference. */
    public static GrpcServerSettings defaults() {
        return new GrpcServerSettings("0.0.0.0", DEFAULT_PORT, DEFAULT_MAX_MESSAGE_BYTES, defaultThreads(), true);
    }

    public static int defaultThreads() {
        return 4 * Runtime.getRuntime().availableProcessors();
    }

    public GrpcServerSettings withHost(String newHost) {
        return new GrpcServerSettings(newHost, port, maxMessageBytes, threads, inferenceOnEventLoop);
    }

    public GrpcServerSettings withInferenceOnEventLoop(boolean inline) {
        return new GrpcServerSettings(host, port, maxMessageBytes, threads, inline);
    }
}
