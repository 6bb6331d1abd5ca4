package io.clusterserving.queue.envelope;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.clusterserving.protocol.json.ServingJsonFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static io.clusterserving.queue.envelope.EnvelopeFields.CODE;
import static io.clusterserving.queue.envelope.EnvelopeFields.DATA;
import static io.clusterserving.queue.envelope.EnvelopeFields.ERROR;
import static io.clusterserving.queue.envelope.EnvelopeFields.MODEL;
import static io.clusterserving.queue.envelope.EnvelopeFields.URI;
import static io.clusterserving.queue.envelope.EnvelopeFields.VALUE;
import static io.clusterserving.queue.envelope.EnvelopeFields.VERSION;

/**
 * The Kafka record values of the queue contract: requests {@code {"uri", "model"?, "version"?,
 * "data": <request>}} and results {@code {"uri", "model", "version", "value" | "error"}}.
 *
 * <p>{@code data} and {@code value} are JSON documents embedded as they are; decoding copies their
 * exact bytes instead of re-serializing a tree, so numbers and NaN tokens survive untouched.
 */
public final class JsonEnvelopeCodec {
    private static final JsonFactory JSON = ServingJsonFactory.create();

    private JsonEnvelopeCodec() {
    }

    /** {@code data} must be a JSON text (the client checks it); it is embedded verbatim. */
    public static byte[] encodeRequest(QueueRequest request) {
        byte[] data = request.data().getBytes(StandardCharsets.UTF_8);
        EnvelopeBytes out = new EnvelopeBytes(data.length + 64);
        out.string(URI, request.uri());
        if (request.model() != null) {
            out.string(MODEL, request.model());
        }
        if (request.version() != null) {
            out.number(VERSION, request.version());
        }
        out.raw(DATA, data);
        return out.close();
    }

    /** {@code value} must be a JSON text (the REST body); it is embedded verbatim. */
    public static byte[] encodeResult(QueueResult result) {
        byte[] value = result.isError() ? null : result.value().getBytes(StandardCharsets.UTF_8);
        EnvelopeBytes out = new EnvelopeBytes((value == null ? 0 : value.length) + 96);
        out.string(URI, result.uri());
        out.string(MODEL, result.model());
        out.number(VERSION, result.version());
        if (result.isError()) {
            out.string(ERROR, result.error());
            if (result.code() != null) {
                out.string(CODE, result.codeName());
            }
        } else {
            out.raw(VALUE, value);
        }
        return out.close();
    }

    /**
     * Decodes a request value. {@code keyUri} (the record key, may be null) stands in for a missing
     * {@code uri} field; {@code position} (e.g. {@code topic-0@42}) names the record in errors and keys
     * the error result when there is no uri at all.
     */
    public static DecodedRequest decodeRequest(byte[] value, String keyUri, String position) {
        String fallbackUri = keyUri == null || keyUri.isEmpty() ? position : keyUri;
        if (value == null || value.length == 0) {
            return rejected(fallbackUri, null, null, "record " + position + ": value is empty");
        }
        Fields f;
        try {
            f = readFields(value, DATA);
        } catch (IOException | IllegalArgumentException e) {
            return rejected(fallbackUri, null, null, "record " + position + ": " + message(e));
        }
        String uri = f.uri != null && !f.uri.isEmpty() ? f.uri : keyUri;
        if (uri == null || uri.isEmpty()) {
            return rejected(position, f.model, f.version,
                    "record " + position + ": field 'uri' is missing and the record has no key; "
                            + "this error is published under the record position");
        }
        if (f.embedded == null || f.embedded.isBlank()) {
            return rejected(uri, f.model, f.version, "record " + position + ": field 'data' is missing; "
                    + "it must hold the predict request body (JSON)");
        }
        return new DecodedRequest.Accepted(new QueueRequest(uri, f.model, f.version, null, f.embedded));
    }

    /** Decodes a result value; throws IllegalArgumentException naming what is wrong. */
    public static QueueResult decodeResult(byte[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("result value is empty");
        }
        Fields f;
        try {
            f = readFields(value, VALUE);
        } catch (IOException e) {
            throw new IllegalArgumentException("result is not valid JSON: " + message(e), e);
        }
        if (f.uri == null) {
            throw new IllegalArgumentException("result has no 'uri' field");
        }
        if ((f.embedded == null) == (f.error == null)) {
            throw new IllegalArgumentException("result for uri '" + f.uri + "' needs exactly one of 'value' or 'error'");
        }
        return new QueueResult(f.uri, f.model, f.version, f.embedded, f.error, null, QueueResult.parseCode(f.code));
    }

    private static DecodedRequest rejected(String uri, String model, Long version, String message) {
        return new DecodedRequest.Rejected(new QueueResult(uri, model, version, null, message));
    }

    /** The envelope's scalar fields plus the raw text of the embedded document field. */
    private static final class Fields {
        String uri;
        String model;
        Long version;
        String error;
        String code;
        String embedded;
    }

    private static Fields readFields(byte[] value, String embeddedField) throws IOException {
        Fields f = new Fields();
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("value must be a JSON object, got " + p.currentToken());
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals(embeddedField)) {
                    String last = lastEmbedded(t, value, (int) p.currentTokenLocation().getByteOffset());
                    if (last != null) {
                        f.embedded = last;
                        return f; // nothing but the closing brace follows
                    }
                    f.embedded = embedded(p, t, value, embeddedField);
                    continue;
                }
                switch (name) {
                    case URI -> f.uri = scalarText(p, t, URI);
                    case MODEL -> f.model = scalarText(p, t, MODEL);
                    case ERROR -> f.error = scalarText(p, t, ERROR);
                    case CODE -> f.code = scalarText(p, t, CODE);
                    case VERSION -> f.version = version(p, t);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("value is not a complete JSON object");
            }
        }
        return f;
    }

    private static String embedded(JsonParser p, JsonToken t, byte[] source, String field) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            // A producer that double-encoded the body: the string holds the JSON document.
            return p.getText();
        }
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("field '" + field + "' must be a JSON object, got " + t);
        }
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getByteOffset();
        return new String(source, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * The embedded document's text when it is the envelope's last field ({@code data} is, as clients
     * write it), found by matching brackets over the bytes; null otherwise. Skipping it with the token
     * stream would tokenize every number of the body a second time (the predict decoder reads them
     * again); this way its syntax is checked once, by that decoder.
     */
    private static String lastEmbedded(JsonToken t, byte[] source, int start) {
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return null;
        }
        int end = matchingBracketEnd(source, start);
        if (end < 0) {
            return null;
        }
        int i = skipWhitespace(source, end);
        if (i >= source.length || source[i] != '}' || skipWhitespace(source, i + 1) != source.length) {
            return null;
        }
        return new String(source, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * Index just past the bracket that brings the nesting depth opened at {@code start} back to zero,
     * skipping strings; -1 if it never does. Bracket kinds are not paired: the predict decoder checks
     * the document's syntax.
     *
     * <p>A body is mostly numbers, so eight bytes at a time are tested for holding any of
     * {@code " [ ] { }} (inside a string: {@code "} or a backslash) and skipped whole when they hold
     * none; only the bytes around structure are looked at one by one. A plain byte loop cost about as
     * much as decoding the body's numbers afterwards.
     */
    static int matchingBracketEnd(byte[] b, int start) {
        int depth = 0;
        int i = start;
        while (i < b.length) {
            if (i + Long.BYTES <= b.length && !holdsStructure((long) WORDS.get(b, i))) {
                i += Long.BYTES;
                continue;
            }
            switch (b[i++]) {
                case '{', '[' -> depth++;
                case '}', ']' -> {
                    if (--depth == 0) {
                        return i;
                    }
                }
                case '"' -> {
                    i = stringEnd(b, i);
                    if (i < 0) {
                        return -1;
                    }
                }
                default -> {
                }
            }
        }
        return -1;
    }

    /** Index just past the quote closing a string whose content starts at {@code i}; -1 if none does. */
    private static int stringEnd(byte[] b, int i) {
        while (i < b.length) {
            if (i + Long.BYTES <= b.length && !holdsQuoteOrEscape((long) WORDS.get(b, i))) {
                i += Long.BYTES;
                continue;
            }
            byte c = b[i++];
            if (c == '"') {
                return i;
            }
            if (c == '\\') {
                i++; // the escaped character, whatever it is
            }
        }
        return -1;
    }

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * Whether some byte of {@code word} is one of {@code " [ ] { }}: '[' and ']' differ from '{' and
     * '}' only in bit 5, so with 0x20 OR-ed into every byte two brackets are left to look for, plus the
     * quote (no other byte becomes '{' or '}' that way).
     */
    private static boolean holdsStructure(long word) {
        long folded = word | 0x2020202020202020L;
        return (hasZeroByte(folded ^ (ONES * '{')) | hasZeroByte(folded ^ (ONES * '}'))
                | hasZeroByte(word ^ (ONES * '"'))) != 0;
    }

    private static boolean holdsQuoteOrEscape(long word) {
        return (hasZeroByte(word ^ (ONES * '"')) | hasZeroByte(word ^ (ONES * '\\'))) != 0;
    }

    /** Non-zero exactly when some byte of {@code v} is zero (the classic bit trick). */
    private static long hasZeroByte(long v) {
        return (v - ONES) & ~v & HIGHS;
    }

    private static int skipWhitespace(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static String scalarText(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!t.isScalarValue()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string, got " + t);
        }
        return p.getText();
    }

    private static Long version(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_NUMBER_INT) {
            long v = p.getLongValue();
            if (v <= 0) {
                throw new IllegalArgumentException("field 'version' must be a positive integer, got " + v);
            }
            return v;
        }
        if (t == JsonToken.VALUE_STRING) {
            return RedisEnvelopeCodec.parseVersion(p.getText());
        }
        throw new IllegalArgumentException("field 'version' must be a positive integer, got " + t);
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        int nl = m == null ? -1 : m.indexOf('\n');
        return nl < 0 ? String.valueOf(m) : m.substring(0, nl);
    }
}
