package io.clusterserving.protocol.predict;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.protocol.json.JsonErrors;
import io.clusterserving.protocol.tfserving.TfPredictRequestDecoder;

import java.io.IOException;

/**
 * Which REST predict API a body belongs to. A REST call says it by its path; a queue entry has no
 * path, so there the body decides ({@link #of}).
 */
public enum PredictApi {
    /**
     * TF Serving {@code :predict}: row {@code instances} or columnar {@code inputs}; answers
     * {@code predictions}/{@code outputs}.
     */
    TF_SERVING,
    /** V2 / Open Inference Protocol {@code /infer}: {@code inputs} is a list of tensor objects; answers V2 JSON. */
    V2;

    /**
     * The API of a body that came without a path: V2's {@code inputs} is a list of tensor objects that
     * carry a {@code datatype}; TF Serving's is an object, a list of values, or absent ({@code instances}).
     * Decides on the first telling key, without reading the (large) values.
     *
     * @throws ServingException INVALID_ARGUMENT when the body is not a JSON object
     */
    public static PredictApi of(JsonFactory json, byte[] body, int offset, int length) {
        if (TfPredictRequestDecoder.opensWithInstances(body, offset, length)) {
            return TF_SERVING; // the commonest body, told without building a parser
        }
        try (JsonParser p = json.createParser(body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ServingException.invalidArgument("the predict request body must be a JSON object, got %s",
                        JsonErrors.describe(p.currentToken()));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (name.equals("instances")) {
                    return TF_SERVING; // V2 has no such key
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
