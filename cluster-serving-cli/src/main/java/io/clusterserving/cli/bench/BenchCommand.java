package io.clusterserving.cli.bench;

import io.clusterserving.bench.server.BenchReport;
import io.clusterserving.bench.server.ClosedLoop;
import io.clusterserving.bench.server.GrpcLoadTransport;
import io.clusterserving.bench.server.HttpLoadTransport;
import io.clusterserving.bench.server.LevelResult;
import io.clusterserving.bench.server.LoadTransport;
import io.clusterserving.cli.client.ClientException;
import io.clusterserving.cli.client.Endpoint;
import io.clusterserving.cli.client.GrpcFailure;
import io.clusterserving.cli.client.HttpAnswer;
import io.clusterserving.cli.client.ModelInputs;
import io.clusterserving.cli.client.Protocol;
import io.clusterserving.cli.client.RequestBodies;
import io.clusterserving.cli.client.ServerClient;
import io.clusterserving.cli.client.ServerTarget;
import io.clusterserving.cli.client.TfPredictBody;
import io.clusterserving.client.ClientSettings;
import io.clusterserving.client.ServingClient;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.protocol.grpc.ModelSpecCodec;
import io.clusterserving.protocol.grpc.TensorProtoCodec;
import io.clusterserving.protocol.grpc.tfserving.PredictRequest;
import io.clusterserving.protocol.grpc.tfserving.PredictionServiceGrpc;
import io.vertx.core.buffer.Buffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code cluster-serving bench}: a closed-loop load generator in the manner of Triton's perf_analyzer.
 * For each concurrency level it runs warm-up plus a measured window, {@code --runs} times, and reports
 * the median run's throughput and latency percentiles. The load generators are cluster-serving-bench's
 * ({@link ClosedLoop} over {@link HttpLoadTransport} or {@link GrpcLoadTransport}); this command reads the
 * flags, builds the request body from the model's metadata and checks it with one request first.
 */
@Command(name = "bench", sortOptions = false,
        description = {"Measures throughput and latency of a running server at several concurrency levels.",
                "Each concurrent user sends its next request when the last is answered: over REST/V2 on its own",
                "connection, over gRPC as a stream on a shared channel.",
                "Exits 1 when any measured request failed."})
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    ServerTarget server;

    @Option(names = "--concurrency", paramLabel = "N[,N...]", split = ",", defaultValue = "1,4,16,64",
            description = "Concurrency levels, each a number of concurrent users (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
            description = "Measured time per run, e.g. 10s, 500ms, 1m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "2s", converter = DurationConverter.class,
            description = "Unmeasured time before each run (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Runs per level; the median-throughput run is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--request-file", paramLabel = "FILE",
            description = {"JSON request body to send (TF Serving JSON for rest and grpc, V2 JSON for v2);",
                    "default: random inputs shaped by the model's metadata."})
    Path requestFile;

    @Option(names = "--batch", paramLabel = "ROWS", defaultValue = "1",
            description = "Rows per random request: the value of a free dim 0 (other free dims get 1) "
                    + "(default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--client-threads", paramLabel = "N", defaultValue = "1",
            description = "Event loops of the load generator (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "0",
            description = {"gRPC: HTTP/2 connections the users share, each call a stream on one of them",
                    "(default: 0 = one per 8 users, e.g. 2 at concurrency 16)."})
    int connections;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Endpoint endpoint = server.endpoint(spec.commandLine());
        try {
            validate();
            List<LevelResult> levels;
            try (LoadTransport transport = endpoint.protocol() == Protocol.grpc ? grpcTransport(endpoint.url())
                    : httpTransport(endpoint)) {
                levels = new ClosedLoop(transport).measure(concurrency, runs, warmup, duration);
            }
            BenchReport report = new BenchReport(endpoint.url().replaceAll("/+$", ""), server.model,
                    endpoint.protocol().name(), batch, warmup, duration, runs, levels);
            out.print(json ? report.json() : report.text());
            out.flush();
            return levels.stream().anyMatch(l -> l.median().errors() > 0) ? 1 : 0;
        } catch (ClientException | ServingException e) { // bad flags, unreadable file, refused connection
            err.println("bench: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private void validate() {
        if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1)) {
            throw new ClientException("--concurrency levels must be >= 1, got " + concurrency);
        }
        if (runs < 1 || batch < 1 || clientThreads < 1 || connections < 0) {
            throw new ClientException("--runs, --batch and --client-threads must be >= 1, --connections >= 0");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new ClientException("--duration must be positive, got " + duration);
        }
    }

    /** REST or V2: the body as JSON text, checked by one request before the load starts. */
    private LoadTransport httpTransport(Endpoint endpoint) {
        Protocol http = endpoint.protocol();
        ServerClient client = new ServerClient(endpoint.url(), Duration.ofSeconds(30));
        String body = requestFile != null ? readRequestFile()
                : RequestBodies.random(http, ModelInputs.fetch(client, http,
                        server.model, server.version, server.signature), batch,
                server.signature, new Random(42));
        String path = http.inferPath(server.model, server.version);
        // One request up front: a wrong body or model fails here with the server's message,
        // not as thousands of identical errors.
        HttpAnswer probe = client.postJson(path, body);
        if (probe.isError()) {
            throw new ClientException("the first request failed: HTTP " + probe.status() + " from POST "
                    + client.baseUrl() + path + ": " + probe.body().strip());
        }
        return new HttpLoadTransport(endpoint.url(), path, Buffer.buffer(body), clientThreads);
    }

    /**
     * gRPC: the inputs are decoded once (from --request-file or random values, typed by the model's
     * signature from GetModelMetadata) and encoded once; one request through the Java client checks
     * them first. The load itself goes through {@link GrpcLoadTransport}.
     */
    private LoadTransport grpcTransport(String grpcUrl) {
        URI uri = URI.create(grpcUrl);
        try (ServingClient client = connect(grpcUrl)) {
            ModelSpec target = server.modelSpec();
            TfPredictBody given = requestFile != null ? TfPredictBody.read(server.model, readRequestFile()) : null;
            String named = given == null ? null : given.signatureName();
            Signature sig = TfPredictBody.signature(grpcCall("GetModelMetadata", grpcUrl,
                    () -> client.metadata(target)), named != null ? named : server.signature);
            TfPredictBody read = given != null ? given : TfPredictBody.read(server.model,
                    RequestBodies.random(Protocol.rest, TfPredictBody.inputSpecs(sig), batch, null, new Random(42)));
            Map<String, Tensor> inputs = read.decode(sig);
            ModelSpec request = target.withSignature(sig.name());
            // One request up front: a wrong body or model fails here with the server's message,
            // not as thousands of identical errors.
            grpcCall("the first request", grpcUrl,
                    () -> ServingClient.await(client.predictAsync(client.prepare(request, inputs))));
            PredictRequest.Builder message = PredictRequest.newBuilder().setModelSpec(ModelSpecCodec.toProto(request));
            inputs.forEach((name, t) -> message.putInputs(name, TensorProtoCodec.toProto(t)));
            return new GrpcLoadTransport(uri.getHost(), uri.getPort() < 0 ? 8500 : uri.getPort(),
                    "/" + PredictionServiceGrpc.getPredictMethod().getFullMethodName(),
                    message.build().toByteArray(), connections, clientThreads);
        }
    }

    private static ServingClient connect(String grpcUrl) {
        try {
            return ServingClient.connect(URI.create(grpcUrl), ClientSettings.defaults());
        } catch (IllegalArgumentException e) {
            throw new ClientException("--url " + grpcUrl + ": " + e.getMessage());
        }
    }

    /** Runs a gRPC call, turning its failure into a ClientException that names the call and the status. */
    private static <T> T grpcCall(String what, String grpcUrl, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ServingException e) {
            throw new ClientException(what + " failed: " + GrpcFailure.describe(e, grpcUrl));
        }
    }

    private String readRequestFile() {
        try {
            return Files.readString(requestFile);
        } catch (IOException e) {
            throw new ClientException("could not read --request-file " + requestFile + ": " + e.getMessage());
        }
    }
}
