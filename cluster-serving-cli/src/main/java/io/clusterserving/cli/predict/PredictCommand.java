package io.clusterserving.cli.predict;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clusterserving.cli.client.ClientException;
import io.clusterserving.cli.client.Endpoint;
import io.clusterserving.cli.client.GrpcFailure;
import io.clusterserving.cli.client.HttpAnswer;
import io.clusterserving.cli.client.InputSpec;
import io.clusterserving.cli.client.ModelInputs;
import io.clusterserving.cli.client.Protocol;
import io.clusterserving.cli.client.RequestBodies;
import io.clusterserving.cli.client.ServerClient;
import io.clusterserving.cli.client.ServerTarget;
import io.clusterserving.cli.client.TfPredictBody;
import io.clusterserving.client.ClientSettings;
import io.clusterserving.client.Prediction;
import io.clusterserving.client.ServingClient;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
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
import java.util.concurrent.Callable;

/**
 * {@code cluster-serving predict}: sends one inference request (REST, V2 or gRPC) and prints the answer as
 * pretty JSON.
 */
@Command(name = "predict", sortOptions = false,
        description = {"Sends one prediction to a running server and prints its answer.",
                "Exits 1 when the server answers an error (HTTP >= 400 or a gRPC status; it goes to stderr)."})
public final class PredictCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    ServerTarget server;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Request timeout (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @ArgGroup(multiplicity = "1")
    Body body;

    /** Exactly one way to give the request. */
    static final class Body {
        @Option(names = "--data", paramLabel = "JSON", description = "The request body as JSON text.")
        String data;

        @Option(names = "--file", paramLabel = "FILE", description = "A file holding the JSON request body.")
        Path file;

        @Option(names = "--instances", paramLabel = "VALUES",
                description = {"Shorthand for a one-input model: '1.0,2.0,5.0' (one value per instance",
                        "when instances are single values) or rows '1,2;3,4'. Shaped by the model's metadata."})
        String instances;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Endpoint endpoint = server.endpoint(spec.commandLine());
        try {
            return endpoint.protocol() == Protocol.grpc ? callGrpc(endpoint.url(), out, err)
                    : callHttp(endpoint, out, err);
        } catch (ClientException e) {
            err.println("predict: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private int callHttp(Endpoint endpoint, PrintWriter out, PrintWriter err) {
        ServerClient client = new ServerClient(endpoint.url(), Duration.ofSeconds(timeoutSeconds));
        Protocol http = endpoint.protocol();
        String path = http.inferPath(server.model, server.version);
        String requestBody = body.instances != null
                ? shorthandBody(http, ModelInputs.fetch(client, http,
                        server.model, server.version, server.signature))
                : withSignature(http, bodyText());
        HttpAnswer answer = client.postJson(path, requestBody);
        if (answer.isError()) {
            err.println("HTTP " + answer.status() + " from POST " + client.baseUrl() + path);
            err.println(pretty(answer.body()));
            err.flush();
            return 1;
        }
        out.println(pretty(answer.body()));
        out.flush();
        return 0;
    }

    /**
     * TF Serving's gRPC Predict. The inputs are given as for REST (TF Serving JSON or --instances) and
     * typed by the model's signature from GetModelMetadata, as the REST frontend would type them.
     */
    private int callGrpc(String grpcUrl, PrintWriter out, PrintWriter err) {
        ClientSettings settings = ClientSettings.defaults().withTimeout(Duration.ofSeconds(timeoutSeconds));
        ModelSpec target = server.modelSpec();
        try (ServingClient client = connect(grpcUrl, settings)) {
            TfPredictBody given = body.instances != null ? null : TfPredictBody.read(server.model, bodyText());
            String named = given == null ? null : given.signatureName();
            // As over REST, a signature_name in the body wins over --signature.
            Signature sig = TfPredictBody.signature(client.metadata(target), named != null ? named : server.signature);
            TfPredictBody read = given != null ? given
                    : TfPredictBody.read(server.model, shorthandBody(Protocol.rest, TfPredictBody.inputSpecs(sig)));
            Map<String, Tensor> inputs = read.decode(sig);
            Prediction prediction = client.predict(target.withSignature(sig.name()), inputs);
            out.println(PredictionJson.render(prediction, sig));
            out.flush();
            return 0;
        } catch (ServingException e) {
            err.println(GrpcFailure.describe(e, grpcUrl));
            err.flush();
            return 1;
        }
    }

    private static ServingClient connect(String grpcUrl, ClientSettings settings) {
        try {
            return ServingClient.connect(URI.create(grpcUrl), settings);
        } catch (IllegalArgumentException e) {
            throw new ClientException("--url " + grpcUrl + ": " + e.getMessage());
        }
    }

    /** The body for the --instances shorthand, in {@code protocol}'s JSON, for a one-input model. */
    private String shorthandBody(Protocol json, List<InputSpec> inputs) {
        if (inputs.size() != 1) {
            throw new ClientException("--instances fills one input, but model '" + server.model + "' has "
                    + inputs.size()
                    + " " + inputs + "; give the body with --data or --file");
        }
        return RequestBodies.fromShorthand(json, inputs.get(0), RequestBodies.parseShorthand(body.instances),
                server.signature);
    }

    /** The body of --data or --file. */
    private String bodyText() {
        if (body.file == null) {
            return body.data;
        }
        try {
            return Files.readString(body.file);
        } catch (IOException e) {
            throw new ClientException("could not read --file " + body.file + ": " + e.getMessage());
        }
    }

    /** Adds {@code signature_name} to a TF Serving body that names none when --signature is given. */
    private String withSignature(Protocol http, String text) {
        if (server.signature == null || http != Protocol.rest
                || TfPredictBody.read(server.model, text).signatureName() != null) {
            return text;
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node instanceof ObjectNode object) {
                object.put("signature_name", server.signature);
                return JSON.writeValueAsString(object);
            }
            return text;
        } catch (JsonProcessingException e) {
            throw new ClientException("the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** The body as indented JSON, or as it is when it is not JSON. */
    static String pretty(String body) {
        try {
            return JSON.writeValueAsString(JSON.readTree(body));
        } catch (JsonProcessingException e) {
            return body.strip();
        }
    }
}
