package io.clusterserving.flink.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.protocol.json.JsonErrors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Which REST predict body a queue entry's {@code data} holds. The queue contract accepts any body the
 * REST API accepts, but the queue has no URL path to tell TF Serving from V2, so the body decides:
 * V2's {@code inputs} is a list of tensor objects that carry a {@code datatype}; TF Serving's is an
 * object, or a list of values.
 */
public enum RequestBodyKind {
    TF_SERVING, V2;

    public static RequestBodyKind detect(JsonFactory json, byte[] body) {
        if (startsWithInstancesKey(body)) {
            return TF_SERVING; // the commonest body, told without building a parser
        }
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ServingException.invalidArgument("field 'data' must hold a JSON object (a predict request body), "
                        + "got %s", JsonErrors.describe(p.currentToken()));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (name.equals("instances")) {
                    return TF_SERVING; // V2 has no such key; decide without tokenizing the (large) values
                }
                JsonToken value = p.nextToken();
                if (name.equals("inputs")) {
                    return value == JsonToken.START_ARRAY && p.nextToken() == JsonToken.START_OBJECT && hasDatatype(p)
                            ? V2 : TF_SERVING;
                }
                p.skipChildren();
            }
            return TF_SERVING;
        } catch (IOException e) {
            throw JsonErrors.malformed(e);
        }
    }

    private static final byte[] INSTANCES_KEY = "\"instances\"".getBytes(StandardCharsets.US_ASCII);

    /** Whether the body opens with {@code {"instances":} (whitespace allowed): what the parser would see first. */
    static boolean startsWithInstancesKey(byte[] body) {
        int i = skipWhitespace(body, 0);
        if (i >= body.length || body[i] != '{') {
            return false;
        }
        i = skipWhitespace(body, i + 1);
        if (!Arrays.equals(body, i, Math.min(body.length, i + INSTANCES_KEY.length), INSTANCES_KEY, 0, INSTANCES_KEY.length)) {
            return false;
        }
        i = skipWhitespace(body, i + INSTANCES_KEY.length);
        return i < body.length && body[i] == ':';
    }

    private static int skipWhitespace(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** With the parser on an object's START_OBJECT: does the object have a {@code datatype} key? */
    private static boolean hasDatatype(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            if (p.currentName().equals("datatype")) {
                return true;
            }
            p.nextToken();
            p.skipChildren();
        }
        return false;
    }
}
