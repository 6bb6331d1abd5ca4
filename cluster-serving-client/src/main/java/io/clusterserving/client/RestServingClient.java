package io.clusterserving.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.manager.VersionState;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.protocol.json.JsonTensorWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TF Serving's REST API ({@code /v1/models/...}) with the columnar {@code "inputs"} format, over
 * {@link HttpClient}. JSON numbers carry no dtype, so the client learns each signature's output dtypes
 * from the metadata endpoint once per model spec and decodes responses with them.
 */
public final class RestServingClient implements ServingClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory JSON_FACTORY = JSON.getFactory();

    private final URI base;
    private final ClientSettings settings;
    private final HttpClient http;
    private final Map<ModelSpec, Optional<Signature>> signatures = new ConcurrentHashMap<>();

    /** {@code http://host[:port]}; the port defaults to TF Serving's REST port 8501. */
    public RestServingClient(URI uri, ClientSettings settings) {
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("REST address '" + uri + "' has no host");
        }
        int port = uri.getPort() < 0 ? 8501 : uri.getPort();
        this.base = URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + port);
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .build();
    }

    private record RestRequest(HttpRequest http, Signature signature) {
    }

    @Override
    public PreparedRequest prepare(ModelSpec model, Map<String, Tensor> inputs) {
        byte[] body = encodeColumnar(model, inputs);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(modelPath(model) + ":predict"))
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return new PreparedRequest(this, model, new RestRequest(request, signature(model).orElse(null)), body.length);
    }

    @Override
    public CompletableFuture<Prediction> predictAsync(PreparedRequest request) {
        RestRequest r = request.encodedFor(this, RestRequest.class);
        return send(r.http()).thenApply(json -> {
            JsonNode outputs = json.get("outputs");
            if (outputs == null) {
                throw new ServingException(StatusCode.INTERNAL, "REST predict response has no 'outputs': " + json);
            }
            return new Prediction(request.model().name(), null, null, decodeOutputs(outputs, r.signature()));
        });
    }

    @Override
    public CompletableFuture<List<ModelVersionStatus>> statusAsync(ModelSpec model) {
        return get(modelPath(model)).thenApply(json -> {
            List<ModelVersionStatus> out = new ArrayList<>();
            for (JsonNode s : json.path("model_version_status")) {
                JsonNode status = s.path("status");
                String message = status.path("error_message").asText("");
                out.add(new ModelVersionStatus(model.name(), s.path("version").asLong(),
                        state(s.path("state").asText("UNKNOWN")), code(status.path("error_code").asText("OK")),
                        message.isEmpty() ? null : message, null, null));
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<ModelMetadata> metadataAsync(ModelSpec model) {
        return get(modelPath(model) + "/metadata").thenApply(json -> {
            JsonNode defs = json.path("metadata").path("signature_def").path("signature_def");
            Map<String, Signature> sigs = new LinkedHashMap<>();
            defs.properties().forEach(e -> sigs.put(e.getKey(), signature(e.getKey(), e.getValue())));
            return new ModelMetadata(json.path("model_spec").path("name").asText(model.name()),
                    json.path("model_spec").path("version").asLong(), null, sigs);
        });
    }

    @Override
    public void close() {
        // HttpClient (Java 17) has no close; its threads end when it is unreachable.
        signatures.clear();
    }

    // ------------------------------------------------------------------ requests

    private String modelPath(ModelSpec model) {
        String path = "/v1/models/" + URLEncoder.encode(model.name(), StandardCharsets.UTF_8).replace("+", "%20");
        if (model.version() != null) {
            path += "/versions/" + model.version();
        } else if (model.label() != null) {
            path += "/labels/" + URLEncoder.encode(model.label(), StandardCharsets.UTF_8).replace("+", "%20");
        }
        return path;
    }

    private CompletableFuture<JsonNode> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(settings.timeout()).GET().build());
    }

    private CompletableFuture<JsonNode> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        throw new ServingException(cause instanceof java.net.http.HttpTimeoutException
                                ? StatusCode.DEADLINE_EXCEEDED : StatusCode.UNAVAILABLE,
                                request.method() + " " + request.uri() + " failed: " + cause, cause);
                    }
                    return parse(request, response);
                });
    }

    private static JsonNode parse(HttpRequest request, HttpResponse<byte[]> response) {
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        if (response.statusCode() / 100 != 2) {
            String message = json != null && json.hasNonNull("error") ? json.get("error").asText()
                    : new String(response.body(), StandardCharsets.UTF_8);
            throw new ServingException(fromHttp(response.statusCode()), message);
        }
        if (json == null) {
            throw new ServingException(StatusCode.INTERNAL, request.uri() + " answered non-JSON");
        }
        return json;
    }

    /** The inverse of TF Serving's status → HTTP table (ambiguous 400 and 500 read as the common case). */
    static StatusCode fromHttp(int status) {
        return switch (status) {
            case 400 -> StatusCode.INVALID_ARGUMENT;
            case 401 -> StatusCode.UNAUTHENTICATED;
            case 403 -> StatusCode.PERMISSION_DENIED;
            case 404 -> StatusCode.NOT_FOUND;
            case 409 -> StatusCode.ABORTED;
            case 429 -> StatusCode.RESOURCE_EXHAUSTED;
            case 499 -> StatusCode.CANCELLED;
            case 501 -> StatusCode.UNIMPLEMENTED;
            case 503 -> StatusCode.UNAVAILABLE;
            case 504 -> StatusCode.DEADLINE_EXCEEDED;
            default -> StatusCode.INTERNAL;
        };
    }

    private Optional<Signature> signature(ModelSpec model) {
        return signatures.computeIfAbsent(model, m -> {
            ModelMetadata md = ServingClient.await(metadataAsync(m.withSignature(null)));
            String name = m.signatureName() != null ? m.signatureName() : Signature.DEFAULT_NAME;
            return Optional.ofNullable(md.signatures().get(name));
        });
    }

    // ------------------------------------------------------------------ JSON encoding

    private static byte[] encodeColumnar(ModelSpec model, Map<String, Tensor> inputs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
            g.writeStartObject();
            if (model.signatureName() != null) {
                g.writeStringField("signature_name", model.signatureName());
            }
            g.writeObjectFieldStart("inputs");
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                g.writeFieldName(e.getKey());
                Tensor t = e.getValue();
                JsonTensorWriter.writeNested(g, t, t.data(), 0, 0, JsonTensorWriter.BytesStyle.STRING_OR_B64);
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ JSON decoding

    private static Map<String, Tensor> decodeOutputs(JsonNode outputs, Signature signature) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (outputs.isObject() && !isB64(outputs)) {
            outputs.properties().forEach(e -> out.put(e.getKey(),
                    decodeTensor(e.getKey(), e.getValue(), dtypeOf(signature, e.getKey()))));
            return out;
        }
        // A single output comes back bare; its name is the signature's only output.
        String name = signature != null && signature.outputs().size() == 1 ? signature.outputs().get(0).name()
                : "outputs";
        out.put(name, decodeTensor(name, outputs, dtypeOf(signature, name)));
        return out;
    }

    private static DataType dtypeOf(Signature signature, String output) {
        return signature == null ? null : signature.output(output).map(TensorSpec::dtype).orElse(null);
    }

    private static boolean isB64(JsonNode n) {
        return n.isObject() && n.size() == 1 && n.has("b64");
    }

    static Tensor decodeTensor(String name, JsonNode value, DataType dtype) {
        List<Long> shape = new ArrayList<>();
        JsonNode probe = value;
        while (probe.isArray()) {
            shape.add((long) probe.size());
            if (probe.isEmpty()) {
                break;
            }
            probe = probe.get(0);
        }
        List<JsonNode> leaves = new ArrayList<>();
        flatten(name, value, shape, 0, leaves);
        DataType type = dtype != null ? dtype : guess(leaves);
        long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
        var b = Tensor.builder(type, dims);
        for (int i = 0; i < leaves.size(); i++) {
            JsonNode v = leaves.get(i);
            try {
                if (isB64(v)) {
                    b.putBytes(Base64.getDecoder().decode(v.get("b64").asText()));
                } else if (v.isTextual()) {
                    b.putBytes(v.asText().getBytes(StandardCharsets.UTF_8));
                } else if (v.isBoolean()) {
                    b.putBoolean(v.booleanValue());
                } else if (v.isIntegralNumber() && type == DataType.UINT64) {
                    b.putUnsignedLongBits(v.bigIntegerValue().longValue());
                } else if (v.isIntegralNumber()) {
                    b.putLong(v.longValue());
                } else if (v.isNumber()) {
                    b.putDouble(v.doubleValue());
                } else {
                    throw ServingException.invalidArgument("unexpected JSON value %s", v);
                }
            } catch (ServingException e) {
                throw new ServingException(StatusCode.INTERNAL, "output '" + name + "' element " + i + ": "
                        + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private static void flatten(String name, JsonNode node, List<Long> shape, int dim, List<JsonNode> out) {
        if (dim == shape.size()) {
            if (node.isArray()) {
                throw new ServingException(StatusCode.INTERNAL, "output '" + name + "' is ragged");
            }
            out.add(node);
            return;
        }
        if (!node.isArray() || node.size() != shape.get(dim)) {
            throw new ServingException(StatusCode.INTERNAL, "output '" + name + "' is ragged at dimension " + dim);
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            flatten(name, it.next(), shape, dim + 1, out);
        }
    }

    /** Without a signature: strings → BYTES, booleans → BOOL, integers → INT64, other numbers → FP32. */
    private static DataType guess(List<JsonNode> leaves) {
        if (leaves.isEmpty()) {
            return DataType.FP32;
        }
        JsonNode first = leaves.get(0);
        if (first.isTextual() || isB64(first)) {
            return DataType.BYTES;
        }
        if (first.isBoolean()) {
            return DataType.BOOL;
        }
        return leaves.stream().allMatch(JsonNode::isIntegralNumber) ? DataType.INT64 : DataType.FP32;
    }

    private static Signature signature(String name, JsonNode def) {
        return new Signature(name, def.path("method_name").asText(""), specs(def.path("inputs")),
                specs(def.path("outputs")));
    }

    private static List<TensorSpec> specs(JsonNode infos) {
        List<TensorSpec> out = new ArrayList<>();
        infos.properties().forEach(e -> {
            JsonNode shape = e.getValue().path("tensor_shape");
            long[] dims = null;
            if (!shape.path("unknown_rank").asBoolean(false)) {
                List<Long> d = new ArrayList<>();
                shape.path("dim").forEach(x -> d.add(x.path("size").asLong()));
                dims = d.stream().mapToLong(Long::longValue).toArray();
            }
            out.add(new TensorSpec(e.getKey(), DataType.fromTfName(e.getValue().path("dtype").asText()), dims));
        });
        return out;
    }

    private static VersionState state(String name) {
        try {
            return VersionState.valueOf(name);
        } catch (IllegalArgumentException e) {
            return VersionState.UNKNOWN;
        }
    }

    private static StatusCode code(String name) {
        try {
            return StatusCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return StatusCode.UNKNOWN;
        }
    }
}
