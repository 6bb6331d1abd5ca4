package io.clusterserving.cli.serve;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The server flags {@code serve} and {@code demo} share, named exactly as tensorflow_model_server
 * names them so existing command lines keep working; {@code --flag=value} and {@code --flag value}
 * both parse.
 */
public final class ServerFlags {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8500",
            description = "gRPC port: TF Serving's PredictionService/ModelService, V2 GRPCInferenceService, "
                    + "health and reflection (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int grpcPort;

    @Option(names = "--grpc_max_message_size", paramLabel = "BYTES", defaultValue = "268435456",
            description = "Largest gRPC request or response message (default: ${DEFAULT-VALUE} = 256 MiB).")
    int grpcMaxMessageSize;

    @Option(names = "--grpc_max_threads", paramLabel = "N", defaultValue = "0",
            description = "Threads handling gRPC calls (default: 0 = 4 per core, as TF Serving).")
    int grpcMaxThreads;

    @Option(names = "--grpc_inference_on_event_loop", arity = "0..1", fallbackValue = "true",
            defaultValue = "true", paramLabel = "BOOL",
            description = "Run gRPC inference calls on the event loop that read them (fastest for light models); "
                    + "false runs them on the --grpc_max_threads pool, better for models taking many ms "
                    + "(default: ${DEFAULT-VALUE}).")
    boolean grpcInferenceOnEventLoop;

    @Option(names = "--rest_api_port", paramLabel = "PORT", defaultValue = "8501",
            description = "REST port for TF Serving and V2 APIs (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int restApiPort;

    @Option(names = "--rest_api_host", paramLabel = "HOST", defaultValue = "0.0.0.0",
            description = "Address the REST server binds (default: ${DEFAULT-VALUE}).")
    String restApiHost;

    @Option(names = "--rest_api_timeout_in_ms", paramLabel = "MS", defaultValue = "30000",
            description = "Deadline of a REST request (default: ${DEFAULT-VALUE}).")
    long restApiTimeoutMillis;

    @Option(names = "--rest_api_num_threads", paramLabel = "N", defaultValue = "0",
            description = "REST event loops (default: 0 = number of cores).")
    int restApiNumThreads;

    @Option(names = "--rest_api_max_body_bytes", paramLabel = "BYTES", defaultValue = "67108864",
            description = "Largest accepted request body (default: ${DEFAULT-VALUE} = 64 MiB).")
    long restApiMaxBodyBytes;

    @Option(names = "--rest_api_inference_on_event_loop", arity = "0..1", fallbackValue = "true",
            defaultValue = "true", paramLabel = "BOOL",
            description = "Run predictions on the REST event loops (fastest for light models); false hands them "
                    + "to a bounded worker pool, better for models taking many ms (default: ${DEFAULT-VALUE}).")
    boolean inferenceOnEventLoop;

    @Option(names = "--file_system_poll_wait_seconds", paramLabel = "S", defaultValue = "1",
            description = "How often model directories are polled for new versions (default: ${DEFAULT-VALUE}; "
                    + "0 = once at startup).")
    long fileSystemPollWaitSeconds;

    @Option(names = "--enable_batching", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            paramLabel = "BOOL", description = "Batch requests dynamically (default: ${DEFAULT-VALUE}).")
    boolean enableBatching;

    @Option(names = "--batching_parameters_file", paramLabel = "FILE",
            description = "Batching parameters (TF Serving text proto); needs --enable_batching.")
    Path batchingParametersFile;

    @Option(names = "--monitoring_config_file", paramLabel = "FILE",
            description = "Monitoring config (TF Serving text proto): an extra Prometheus path besides /metrics.")
    Path monitoringConfigFile;

    @Option(names = "--max_num_load_retries", paramLabel = "N", defaultValue = "5",
            description = "Retries of a failed model load (default: ${DEFAULT-VALUE}).")
    int maxNumLoadRetries;

    @Option(names = "--load_retry_interval_micros", paramLabel = "US", defaultValue = "60000000",
            description = "Pause between load retries (default: ${DEFAULT-VALUE} = 1 min).")
    long loadRetryIntervalMicros;

    @Option(names = "--tensorflow_intra_op_parallelism", paramLabel = "N", defaultValue = "0",
            description = "Threads inside one op, for every runtime (default: 0 = 1 thread).")
    int intraOpParallelism;

    @Option(names = "--tensorflow_inter_op_parallelism", paramLabel = "N", defaultValue = "0",
            description = "Threads running independent ops, for every runtime (default: 0 = 1 thread).")
    int interOpParallelism;

    public int grpcPort() {
        return grpcPort;
    }

    public boolean grpcInferenceOnEventLoop() {
        return grpcInferenceOnEventLoop;
    }

    public int grpcMaxMessageSize() {
        return grpcMaxMessageSize;
    }

    public int grpcMaxThreads() {
        return grpcMaxThreads;
    }

    public int restApiPort() {
        return restApiPort;
    }

    public String restApiHost() {
        return restApiHost;
    }

    public long restApiTimeoutMillis() {
        return restApiTimeoutMillis;
    }

    /** Event loops to run; 0 on the command line means one per core. */
    public int eventLoops() {
        return restApiNumThreads > 0 ? restApiNumThreads : Runtime.getRuntime().availableProcessors();
    }

    public long restApiMaxBodyBytes() {
        return restApiMaxBodyBytes;
    }

    public boolean inferenceOnEventLoop() {
        return inferenceOnEventLoop;
    }

    public long fileSystemPollWaitSeconds() {
        return fileSystemPollWaitSeconds;
    }

    public boolean enableBatching() {
        return enableBatching;
    }

    public Path batchingParametersFile() {
        return batchingParametersFile;
    }

    public Path monitoringConfigFile() {
        return monitoringConfigFile;
    }

    public int maxNumLoadRetries() {
        return maxNumLoadRetries;
    }

    public long loadRetryIntervalMicros() {
        return loadRetryIntervalMicros;
    }

    /** Runtime threads inside an op; 0 means 1 so a native runtime never silently takes every core. */
    public int intraOpThreads() {
        return Math.max(1, intraOpParallelism);
    }

    /** Runtime threads across ops; 0 means 1, for the same reason. */
    public int interOpThreads() {
        return Math.max(1, interOpParallelism);
    }
}
