package io.clusterserving.cli.client;

import io.clusterserving.core.model.ModelSpec;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options naming a server and a model, shared by the client commands ({@code predict},
 * {@code bench}) as a picocli mixin so their spelling, defaults and help text stay one.
 */
public final class ServerTarget {

    // Not mixinStandardHelpOptions: its -V/--version would clash with the model's --version.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--url", paramLabel = "URL",
            description = "Server address: http://host:port (REST, V2) or grpc://host:port (gRPC); default "
                    + Endpoint.DEFAULT_HTTP_URL + ", or " + Endpoint.DEFAULT_GRPC_URL + " with --protocol grpc.")
    public String url;

    @Option(names = "--model", paramLabel = "NAME", required = true, description = "Model name.")
    public String model;

    @Option(names = "--version", paramLabel = "N", description = "Model version (default: latest).")
    public Long version;

    @Option(names = "--signature", paramLabel = "NAME", description = "Signature (default: serving_default).")
    public String signature;

    @Option(names = "--protocol", paramLabel = "rest|v2|grpc",
            description = "rest = TF Serving :predict, v2 = KServe V2 /infer, grpc = TF Serving gRPC Predict "
                    + "(default: grpc for a grpc:// --url, else rest).")
    public Protocol protocol;

    /** The model and version the options name (latest when no --version). */
    public ModelSpec modelSpec() {
        return version == null ? ModelSpec.latest(model) : ModelSpec.version(model, version);
    }

    /** The endpoint --url and --protocol name; a bad pair is a usage error of {@code commandLine}. */
    public Endpoint endpoint(CommandLine commandLine) {
        try {
            return Endpoint.resolve(url, protocol);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
        }
    }
}
