package io.clusterserving.protocol.tfserving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.Example;
import io.clusterserving.core.model.Feature;
import io.clusterserving.protocol.json.JsonErrors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Decodes TF Serving's REST classify/regress body
 * {@code {"signature_name"?, "context"?: {feature: value|list}, "examples": [{feature: value|list}, ...]}}
 * into tf.Examples, with TF Serving's typing: a JSON integer (or boolean, as 1/0) is an int64_list value,
 * a decimal number a float_list value, a string or {@code {"b64": ...}} a bytes_list value; a list holds
 * values of one kind.
 */
public final class TfExamplesDecoder {
    private final JsonFactory json;

    public TfExamplesDecoder(JsonFactory json) {
        this.json = json;
    }

    /** @param verb "classify" or "regress", for messages */
    public ExamplesRequest decode(byte[] body, int offset, int length, String verb) {
        try (JsonParser p = json.createParser(body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ServingException.invalidArgument("%s request body must be a JSON object, got %s", verb,
                        JsonErrors.describe(p.currentToken()));
            }
            String signatureName = null;
            Example context = null;
            List<Example> examples = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "signature_name" -> signatureName = TfPredictRequestDecoder.signatureNameValue(p, v);
                    case "context" -> context = example(p, "context");
                    case "examples" -> examples = examples(p);
                    default -> throw ServingException.invalidArgument("unknown key '%s' in %s request; expected "
                            + "'examples' and optionally 'context' and 'signature_name'", field, verb);
                }
            }
            if (p.nextToken() != null) {
                throw ServingException.invalidArgument("%s request: unexpected content after the JSON object%s", verb,
                        JsonErrors.at(p));
            }
            if (examples == null) {
                throw ServingException.invalidArgument("%s request has no 'examples' key; expected "
                        + "{\"examples\": [{feature: value, ...}, ...]}", verb);
            }
            return new ExamplesRequest(signatureName, examples, context);
        } catch (IOException e) {
            throw JsonErrors.malformed(e);
        }
    }

    private static List<Example> examples(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ServingException.invalidArgument("'examples' must be a list of objects, got %s",
                    JsonErrors.describe(p.currentToken()));
        }
        List<Example> examples = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            examples.add(example(p, "examples[" + examples.size() + "]"));
        }
        if (examples.isEmpty()) {
            throw ServingException.invalidArgument("'examples' is an empty list; send at least one example");
        }
        return examples;
    }

    /** The object at the current token as an Example; {@code where} names it in messages. */
    private static Example example(JsonParser p, String where) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw ServingException.invalidArgument("%s must be an object of features, got %s", where,
                    JsonErrors.describe(p.currentToken()));
        }
        Example.Builder b = Example.builder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            FeatureValues values = new FeatureValues(where, name);
            if (t == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    values.add(p);
                }
            } else {
                values.add(p);
            }
            b.feature(name, values.build());
        }
        return b.build();
    }

    /** The values of one feature, all of one kind (the first value's). */
    private static final class FeatureValues {
        private enum Kind { INT64, FLOAT, BYTES }

        private final String where;
        private final String name;
        private Kind kind;
        private long[] longs = new long[4];
        private float[] floats = new float[4];
        private final List<byte[]> bytes = new ArrayList<>();
        private int count;

        FeatureValues(String where, String name) {
            this.where = where;
            this.name = name;
        }

        void add(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            switch (t) {
                case VALUE_NUMBER_INT -> {
                    JsonParser.NumberType nt = p.getNumberType();
                    if (nt != JsonParser.NumberType.INT && nt != JsonParser.NumberType.LONG) {
                        throw problem("value %s is out of int64 range", p.getText());
                    }
                    addLong(p.getLongValue());
                }
                case VALUE_TRUE, VALUE_FALSE -> addLong(t == JsonToken.VALUE_TRUE ? 1 : 0);
                case VALUE_NUMBER_FLOAT -> {
                    double d = p.getDoubleValue();
                    if (Double.isFinite(d) && Math.abs(d) > Float.MAX_VALUE) {
                        throw problem("value %s does not fit a float", p.getText());
                    }
                    expect(Kind.FLOAT);
                    if (count == floats.length) {
                        floats = Arrays.copyOf(floats, count * 2);
                    }
                    floats[count++] = (float) d;
                }
                case VALUE_STRING -> addBytes(p.getText().getBytes(StandardCharsets.UTF_8));
                case START_OBJECT -> {
                    if (p.nextToken() != JsonToken.FIELD_NAME || !"b64".equals(p.currentName())
                            || p.nextToken() != JsonToken.VALUE_STRING) {
                        throw problem("an object value must be {\"b64\": \"<base64>\"}");
                    }
                    byte[] decoded;
                    try {
                        decoded = Base64.getDecoder().decode(p.getText());
                    } catch (IllegalArgumentException e) {
                        throw problem("invalid base64 in 'b64' value: %s", e.getMessage());
                    }
                    if (p.nextToken() != JsonToken.END_OBJECT) {
                        throw problem("a {\"b64\": ...} object must have no other keys");
                    }
                    addBytes(decoded);
                }
                case START_ARRAY -> throw problem("a feature is a flat list of values; got a nested list");
                default -> throw problem("unexpected %s value", JsonErrors.describe(t));
            }
        }

        Feature build() {
            if (kind == null) {
                return Feature.floats(); // an empty list: TF Serving sends a feature with no values too
            }
            return switch (kind) {
                case INT64 -> Feature.int64s(Arrays.copyOf(longs, count));
                case FLOAT -> Feature.floats(Arrays.copyOf(floats, count));
                case BYTES -> Feature.bytes(bytes);
            };
        }

        private void addLong(long v) {
            expect(Kind.INT64);
            if (count == longs.length) {
                longs = Arrays.copyOf(longs, count * 2);
            }
            longs[count++] = v;
        }

        private void addBytes(byte[] v) {
            expect(Kind.BYTES);
            bytes.add(v);
            count++;
        }

        private void expect(Kind k) {
            if (kind == null) {
                kind = k;
            } else if (kind != k) {
                throw problem("mixed value types: element %d is %s, but the list started as %s (write 1.0, not 1, "
                        + "for a float list)", count, describe(k), describe(kind));
            }
        }

        private static String describe(Kind k) {
            return switch (k) {
                case INT64 -> "an integer (int64_list)";
                case FLOAT -> "a decimal number (float_list)";
                case BYTES -> "a string (bytes_list)";
            };
        }

        private ServingException problem(String format, Object... args) {
            return ServingException.invalidArgument("%s: feature '%s': %s", where, name, String.format(format, args));
        }
    }
}
