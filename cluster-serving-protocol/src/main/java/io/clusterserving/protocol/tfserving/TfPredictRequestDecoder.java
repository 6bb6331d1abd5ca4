package io.clusterserving.protocol.tfserving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.protocol.json.JsonErrors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes TF Serving's REST predict body ({@code instances} row format or {@code inputs} columnar
 * format) into tensors, with one streaming pass that writes numbers straight into tensor bytes using
 * the signature's dtypes.
 */
public final class TfPredictRequestDecoder {
    private static final String SIGNATURE_KEY_TEXT = "\"signature_name\"";

    private final JsonFactory json;

    public TfPredictRequestDecoder(JsonFactory json) {
        this.json = json;
    }

    /** The decoded inputs and which layout the request used (the response must use the same). */
    public record Decoded(RequestFormat format, Map<String, Tensor> inputs) {
    }

    /**
     * Whether the body opens with {@code {"instances":} — a TF Serving row-format body, told without
     * building a parser (V2 bodies have no such key). Says nothing about the rest of the body.
     */
    public static boolean opensWithInstances(byte[] body, int offset, int length) {
        return FloatRowsScanner.afterInstancesKey(body, offset, offset + length) >= 0;
    }

    /**
     * The top-level {@code signature_name}, or null when absent. The signature must be known before the
     * inputs can be decoded; a byte search skips the extra pass for the common body without one (a
     * backslash means the key might be escaped, so then the body is scanned properly).
     */
    public String signatureName(byte[] body, int offset, int length) {
        if (!mayNameSignature(body, offset, length)) {
            return null;
        }
        try (JsonParser p = json.createParser(body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null; // decode() reports the real problem
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if ("signature_name".equals(field)) {
                    return signatureNameValue(p, v);
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw JsonErrors.malformed(e);
        }
    }

    /**
     * The value of a {@code signature_name} key, with the parser on it: a string, or null for JSON null
     * (the default signature). The one check of that key for every TF Serving REST body.
     */
    static String signatureNameValue(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw ServingException.invalidArgument("'signature_name' must be a string, got %s",
                    JsonErrors.describe(value));
        }
        return p.getText();
    }

    public Decoded decode(byte[] body, int offset, int length, Signature signature) {
        Decoded fast = FloatRowsScanner.tryDecode(body, offset, length, signature);
        return fast != null ? fast : decodeTokens(body, offset, length, signature);
    }

    /** The full decoder: any body TF Serving accepts, and an error naming the problem for any other. */
    Decoded decodeTokens(byte[] body, int offset, int length, Signature signature) {
        try (JsonParser p = json.createParser(body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ServingException.invalidArgument("predict request body must be a JSON object, got %s",
                        JsonErrors.describe(p.currentToken()));
            }
            RequestFormat format = null;
            Map<String, Tensor> inputs = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "signature_name" -> signatureNameValue(p, v);
                    case "instances", "inputs" -> {
                        if (format != null) {
                            throw ServingException.invalidArgument(
                                    "Request body may contain only one of 'instances' or 'inputs'");
                        }
                        if (field.equals("instances")) {
                            format = RequestFormat.ROW;
                            inputs = decodeRow(p, signature, length);
                        } else {
                            format = RequestFormat.COLUMNAR;
                            inputs = decodeColumnar(p, signature, length);
                        }
                    }
                    default -> throw ServingException.invalidArgument(
                            "unknown key '%s' in predict request; expected 'instances' or 'inputs' and optionally "
                                    + "'signature_name'", field);
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw ServingException.invalidArgument("predict request: expected a key or '}'%s, got %s",
                        JsonErrors.at(p), JsonErrors.describe(p.currentToken()));
            }
            if (p.nextToken() != null) {
                throw ServingException.invalidArgument("predict request: unexpected content after the JSON object%s",
                        JsonErrors.at(p));
            }
            if (format == null) {
                throw ServingException.invalidArgument("Missing 'inputs' or 'instances' key");
            }
            return new Decoded(format, inputs);
        } catch (IOException e) {
            throw JsonErrors.malformed(e);
        }
    }

    private Map<String, Tensor> decodeRow(JsonParser p, Signature sig, int bodyLength) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ServingException.invalidArgument("'instances' must be a list, got %s",
                    JsonErrors.describe(p.currentToken()));
        }
        JsonToken first = p.nextToken();
        if (first == JsonToken.END_ARRAY) {
            throw ServingException.invalidArgument("'instances' is an empty list; send at least one instance");
        }
        if (first == JsonToken.START_OBJECT) {
            JsonToken key = p.nextToken();
            boolean b64Value = key == JsonToken.FIELD_NAME && "b64".equals(p.currentName())
                    && sig.input("b64").isEmpty();
            if (!b64Value) {
                return decodeNamedInstances(p, sig, bodyLength);
            }
            NestedListReader reader = singleInput(sig, "instances", bodyLength,
                    "each instance must be an object naming the inputs");
            reader.index(0, 0);
            reader.readB64Remainder(p, 1);
            return readRemainingInstances(p, reader, 1);
        }
        NestedListReader reader = singleInput(sig, "instances", bodyLength,
                "each instance must be an object naming the inputs");
        reader.index(0, 0);
        reader.readValue(p, 1);
        return readRemainingInstances(p, reader, 1);
    }

    private static Map<String, Tensor> readRemainingInstances(JsonParser p, NestedListReader reader, int done)
            throws IOException {
        int n = done;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.START_OBJECT && reader.spec().dtype() != DataType.BYTES) {
                throw ServingException.invalidArgument(
                        "instances[%d]: got an object naming inputs, but instances[0] was a plain value; "
                                + "all instances must use the same form", n);
            }
            reader.index(0, n);
            reader.readValue(p, 1);
            n++;
        }
        reader.closeList(0, n);
        return Map.of(reader.spec().name(), reader.build());
    }

    /** Row format with object instances; the parser is at the first key of instances[0]. */
    private Map<String, Tensor> decodeNamedInstances(JsonParser p, Signature sig, int bodyLength) throws IOException {
        List<TensorSpec> specs = sig.inputs();
        NestedListReader[] readers = new NestedListReader[specs.size()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = new NestedListReader(specs.get(i), "instances", bodyLength / readers.length);
        }
        boolean[] seen = new boolean[readers.length];
        int n = 0;
        boolean firstKeyRead = true;
        while (true) {
            if (!firstKeyRead) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.END_ARRAY) {
                    break;
                }
                if (t != JsonToken.START_OBJECT) {
                    throw ServingException.invalidArgument(
                            "instances[%d]: expected an object naming the inputs (as instances[0] is), got %s",
                            n, JsonErrors.describe(t));
                }
                p.nextToken();
            }
            firstKeyRead = false;
            java.util.Arrays.fill(seen, false);
            for (JsonToken t = p.currentToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                int k = indexOf(specs, name);
                if (k < 0) {
                    throw unknownInput(sig, name, "instances[" + n + "]");
                }
                if (seen[k]) {
                    throw ServingException.invalidArgument("instances[%d]: input '%s' appears twice", n, name);
                }
                seen[k] = true;
                p.nextToken();
                readers[k].index(0, n);
                readers[k].readValue(p, 1);
            }
            for (int k = 0; k < seen.length; k++) {
                if (!seen[k]) {
                    throw ServingException.invalidArgument("instances[%d]: missing input '%s'; signature '%s' needs %s",
                            n, specs.get(k).name(), sig.name(), names(specs));
                }
            }
            n++;
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (NestedListReader r : readers) {
            r.closeList(0, n);
            out.put(r.spec().name(), r.build());
        }
        return out;
    }

    private Map<String, Tensor> decodeColumnar(JsonParser p, Signature sig, int bodyLength) throws IOException {
        List<TensorSpec> specs = sig.inputs();
        if (p.currentToken() == JsonToken.START_OBJECT) {
            JsonToken key = p.nextToken();
            if (key == JsonToken.END_OBJECT) {
                throw ServingException.invalidArgument("'inputs' is an empty object; signature '%s' needs %s",
                        sig.name(), names(specs));
            }
            if ("b64".equals(p.currentName()) && sig.input("b64").isEmpty()) {
                NestedListReader reader = singleInput(sig, "inputs", bodyLength,
                        "'inputs' must be an object naming them");
                reader.readB64Remainder(p, 0);
                return Map.of(reader.spec().name(), reader.build());
            }
            NestedListReader[] readers = new NestedListReader[specs.size()];
            for (JsonToken t = key; t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                int k = indexOf(specs, name);
                if (k < 0) {
                    throw unknownInput(sig, name, "'inputs'");
                }
                if (readers[k] != null) {
                    throw ServingException.invalidArgument("'inputs': input '%s' appears twice", name);
                }
                readers[k] = new NestedListReader(specs.get(k), "inputs." + name, bodyLength / specs.size());
                p.nextToken();
                readers[k].readValue(p, 0);
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int k = 0; k < readers.length; k++) {
                if (readers[k] == null) {
                    throw ServingException.invalidArgument("'inputs': missing input '%s'; signature '%s' needs %s",
                            specs.get(k).name(), sig.name(), names(specs));
                }
                out.put(specs.get(k).name(), readers[k].build());
            }
            return out;
        }
        NestedListReader reader = singleInput(sig, "inputs", bodyLength, "'inputs' must be an object naming them");
        reader.readValue(p, 0);
        return Map.of(reader.spec().name(), reader.build());
    }

    private static NestedListReader singleInput(Signature sig, String label, int bodyLength, String hint) {
        if (sig.inputs().size() != 1) {
            throw ServingException.invalidArgument("signature '%s' has %d inputs %s; %s", sig.name(),
                    sig.inputs().size(), names(sig.inputs()), hint);
        }
        return new NestedListReader(sig.inputs().get(0), label, bodyLength);
    }

    private static int indexOf(List<TensorSpec> specs, String name) {
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static ServingException unknownInput(Signature sig, String name, String where) {
        return ServingException.invalidArgument("%s: unknown input '%s'; signature '%s' has inputs %s", where, name,
                sig.name(), names(sig.inputs()));
    }

    private static String names(List<TensorSpec> specs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < specs.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(specs.get(i).name());
        }
        return sb.append(']').toString();
    }

    /**
     * True when the body may carry a top-level signature_name: it contains the key, or a backslash
     * (an escaped key). Viewing the bytes as a Latin-1 string costs one copy but lets the JDK's
     * vectorized indexOf do the search, several times faster than a byte loop on every request.
     */
    private static boolean mayNameSignature(byte[] body, int offset, int length) {
        String text = new String(body, offset, length, StandardCharsets.ISO_8859_1);
        return text.indexOf(SIGNATURE_KEY_TEXT) >= 0 || text.indexOf('\\') >= 0;
    }

}
