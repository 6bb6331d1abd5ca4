package io.clusterserving.flink.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.protocol.json.JsonErrors;
import io.clusterserving.protocol.tfserving.TfPredictRequestDecoder;

import java.io.IOException;

/**
 * Which REST predict body a queue entry's {@code data} holds. The queue contract accepts any body the
 * REST API accepts, but the queue has no URL path to tell TF Serving from V2, so the body decides:
 * V2's {@code inputs} is a list of tensor objects that carry a {@code datatype}; TF Serving's is an
 * object, or a list of values.
 */
public enum RequestBodyKind {
    TF_SERVING, V2;

    public static RequestBodyKind detect(JsonFactory json, byte[] body) {
        if (TfPredictRequestDecoder.opensWithInstances(body, 0, body.length)) {
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
