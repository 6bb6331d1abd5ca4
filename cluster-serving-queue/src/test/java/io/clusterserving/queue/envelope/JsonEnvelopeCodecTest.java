package io.clusterserving.queue.envelope;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonEnvelopeCodecTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void requestRoundTripKeepsTheBodyByteForByte() {
        // Exotic but legal-for-TF-Serving content: NaN token, a long decimal, unicode, nesting.
        String body = "{\"instances\": [[NaN, 0.1000000000000000055511151231257827, 1e-7]], \"s\": \"é\\u00e9\"}";
        QueueRequest r = new QueueRequest("u-1", "m", 2L, null, body);
        byte[] encoded = JsonEnvelopeCodec.encodeRequest(r);
        assertThat(new String(encoded, StandardCharsets.UTF_8))
                .isEqualTo("{\"uri\":\"u-1\",\"model\":\"m\",\"version\":2,\"data\":" + body + "}");
        DecodedRequest d = JsonEnvelopeCodec.decodeRequest(encoded, "u-1", "in-0@0");
        assertThat(d).isEqualTo(new DecodedRequest.Accepted(r));
    }

    @Test
    void recordKeyStandsInForAMissingUri() {
        DecodedRequest d = JsonEnvelopeCodec.decodeRequest(utf8("{\"data\":{\"inputs\":[1]}}"), "key-uri", "in-0@3");
        assertThat(d).isEqualTo(new DecodedRequest.Accepted(QueueRequest.of("key-uri", "{\"inputs\":[1]}")));
    }

    @Test
    void noUriAndNoKeyIsKeyedByPosition() {
        DecodedRequest d = JsonEnvelopeCodec.decodeRequest(utf8("{\"data\":{}}"), null, "in-2@9");
        assertThat(d.uri()).isEqualTo("in-2@9");
        assertThat(((DecodedRequest.Rejected) d).result().error()).contains("'uri'", "in-2@9");
    }

    @Test
    void missingDataIsRejectedNamingTheField() {
        DecodedRequest d = JsonEnvelopeCodec.decodeRequest(utf8("{\"uri\":\"a\",\"model\":\"m\"}"), "a", "in-0@1");
        QueueResult r = ((DecodedRequest.Rejected) d).result();
        assertThat(r.uri()).isEqualTo("a");
        assertThat(r.model()).isEqualTo("m");
        assertThat(r.error()).contains("'data' is missing");
    }

    @Test
    void dataGivenAsAJsonStringIsAccepted() {
        DecodedRequest d = JsonEnvelopeCodec.decodeRequest(utf8("{\"uri\":\"a\",\"data\":\"{\\\"instances\\\":[1]}\"}"),
                null, "p");
        assertThat(((DecodedRequest.Accepted) d).request().data()).isEqualTo("{\"instances\":[1]}");
    }

    @Test
    void malformedValuesAreRejectedNotThrown() {
        assertThat(((DecodedRequest.Rejected) JsonEnvelopeCodec.decodeRequest(utf8("{\"uri\":"), "k", "p")).result()
                .error()).contains("record p");
        assertThat(((DecodedRequest.Rejected) JsonEnvelopeCodec.decodeRequest(utf8("[1]"), "k", "p")).result()
                .error()).contains("JSON object");
        assertThat(((DecodedRequest.Rejected) JsonEnvelopeCodec.decodeRequest(utf8("{\"uri\":\"a\",\"data\":5}"), "k",
                "p")).result().error()).contains("'data' must be a JSON object");
        assertThat(((DecodedRequest.Rejected) JsonEnvelopeCodec.decodeRequest(new byte[0], "k", "p")).uri())
                .isEqualTo("k");
    }

    @Test
    void dataAsTheLastFieldIsCutByBracketsIgnoringThoseInStrings() {
        String body = "{\"s\": \"]}\\\"[{\", \"instances\": [[1, 2]], \"t\": \"\\\\\"}";
        DecodedRequest d = JsonEnvelopeCodec.decodeRequest(utf8("{\"uri\":\"a\",\"data\":" + body + " } \n"), null, "p");
        assertThat(((DecodedRequest.Accepted) d).request().data()).isEqualTo(body);
    }

    /** The cut itself, since a wrong cut would be hidden by the token-stream fallback above. */
    @Test
    void bracketMatchingSkipsStringsAndEscapes() {
        byte[] doc = utf8("x{\"a\": \"}]\\\"{\", \"b\": [[1], {\"c\": \"\\\\\"}]}tail");
        assertThat(JsonEnvelopeCodec.matchingBracketEnd(doc, 1)).isEqualTo(doc.length - "tail".length());
        assertThat(JsonEnvelopeCodec.matchingBracketEnd(utf8("[1, [2], 3] ]"), 0)).isEqualTo(11);
        assertThat(JsonEnvelopeCodec.matchingBracketEnd(utf8("{\"a\": [1}"), 0)).as("unbalanced: ']' missing")
                .isEqualTo(-1);
        assertThat(JsonEnvelopeCodec.matchingBracketEnd(utf8("{\"a\": \"}"), 0)).as("unclosed string").isEqualTo(-1);
    }

    /**
     * The word-at-a-time scan against the plain byte loop it replaced, on random documents built from
     * the bytes that matter (brackets of both kinds, quotes, backslashes) among filler, so that every
     * one of them lands at every position within an eight-byte word, inside and outside strings.
     */
    @Test
    void bracketMatchingAgreesWithAByteLoopOnRandomDocuments() {
        Random random = new Random(20261122);
        byte[] alphabet = utf8("[]{}\"\\0123456789.,-e :aé");
        int closed = 0;
        for (int n = 0; n < 200_000; n++) {
            byte[] doc = new byte[1 + random.nextInt(64)];
            for (int i = 0; i < doc.length; i++) {
                // Mostly filler, as in a body of numbers; sometimes a run of structure.
                doc[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(8)] : alphabet[8 + random.nextInt(alphabet.length - 8)];
            }
            int start = random.nextInt(doc.length);
            doc[start] = random.nextBoolean() ? (byte) '[' : (byte) '{';
            int expected = byteLoopBracketEnd(doc, start);
            assertThat(JsonEnvelopeCodec.matchingBracketEnd(doc, start)).as("%s from %d",
                    new String(doc, StandardCharsets.UTF_8), start).isEqualTo(expected);
            closed += expected >= 0 ? 1 : 0;
        }
        assertThat(closed).as("documents whose bracket closes: both outcomes are exercised").isBetween(20_000, 180_000);
    }

    /** The scan as it was first written, one byte at a time: the reference for the one above. */
    private static int byteLoopBracketEnd(byte[] b, int start) {
        int depth = 0;
        for (int i = start; i < b.length; i++) {
            byte c = b[i];
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return i + 1;
                }
            } else if (c == '"') {
                for (i++; i < b.length && b[i] != '"'; i++) {
                    if (b[i] == '\\') {
                        i++;
                    }
                }
            }
        }
        return -1;
    }

    /** Envelopes are written without a generator; the bytes must be the ones Jackson's would write. */
    @Test
    void envelopesAreTheBytesAJacksonGeneratorWrites() throws IOException {
        String[] texts = {"u", "", "a\"b", "back\\slash", "tab\tnew\nline", "\u0001\u001f\u007f", "é ü 中文",
                "slash/</script>", "bench-abc-run1:12345"};
        String value = "{\"predictions\":[[1.5,NaN,-0.0,3.4028235E38]],\"s\":\"é\"}";
        for (String uri : texts) {
            for (String model : new String[] {null, "m", "mod\"el é"}) {
                for (Long version : new Long[] {null, 1L, Long.MAX_VALUE}) {
                    QueueResult ok = new QueueResult(uri, model, version, value, null, null);
                    assertThat(JsonEnvelopeCodec.encodeResult(ok)).asString(StandardCharsets.UTF_8)
                            .isEqualTo(jacksonResult(ok));
                    QueueResult failed = new QueueResult(uri, model, version, null, "bad \"" + uri + "\"\n", null,
                            io.clusterserving.core.error.StatusCode.INVALID_ARGUMENT);
                    assertThat(JsonEnvelopeCodec.encodeResult(failed)).asString(StandardCharsets.UTF_8)
                            .isEqualTo(jacksonResult(failed));
                    assertThat(JsonEnvelopeCodec.decodeResult(JsonEnvelopeCodec.encodeResult(failed))).isEqualTo(failed);
                    QueueRequest request = new QueueRequest(uri, model, version, null, value);
                    assertThat(JsonEnvelopeCodec.encodeRequest(request)).asString(StandardCharsets.UTF_8)
                            .isEqualTo(jacksonRequest(request));
                    if (!uri.isEmpty()) { // an empty uri is rejected on decoding (recordKeyStandsInForAMissingUri)
                        assertThat(JsonEnvelopeCodec.decodeRequest(JsonEnvelopeCodec.encodeRequest(request), null, "p"))
                                .isEqualTo(new DecodedRequest.Accepted(request));
                    }
                }
            }
        }
    }

    /** Jackson escapes a character outside the BMP as a surrogate pair; here it is plain UTF-8. Both read back alike. */
    @Test
    void charactersOutsideTheBmpAreWrittenAsUtf8() {
        QueueResult r = new QueueResult("emoji \uD83D\uDE00", "m", 1L, "{}", null, null);
        byte[] bytes = JsonEnvelopeCodec.encodeResult(r);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"uri\":\"emoji \uD83D\uDE00\",");
        assertThat(bytes).containsSequence((byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80);
        assertThat(JsonEnvelopeCodec.decodeResult(bytes)).isEqualTo(r);
    }

    private static final JsonFactory JACKSON = new JsonFactory();

    private static String jacksonResult(QueueResult r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JACKSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("uri", r.uri());
            g.writeFieldName("model");
            if (r.model() == null) {
                g.writeNull();
            } else {
                g.writeString(r.model());
            }
            g.writeFieldName("version");
            if (r.version() == null) {
                g.writeNull();
            } else {
                g.writeNumber(r.version());
            }
            if (r.isError()) {
                g.writeStringField("error", r.error());
                if (r.code() != null) {
                    g.writeStringField("code", r.codeName());
                }
            } else {
                g.writeFieldName("value");
                g.writeRawValue(r.value());
            }
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String jacksonRequest(QueueRequest r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JACKSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("uri", r.uri());
            if (r.model() != null) {
                g.writeStringField("model", r.model());
            }
            if (r.version() != null) {
                g.writeNumberField("version", r.version());
            }
            g.writeFieldName("data");
            g.writeRawValue(r.data());
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dataFollowedByOtherFieldsIsStillRead() {
        DecodedRequest d = JsonEnvelopeCodec.decodeRequest(
                utf8("{\"data\":{\"inputs\":[1]},\"uri\":\"b\",\"version\":2}"), null, "p");
        assertThat(d).isEqualTo(new DecodedRequest.Accepted(new QueueRequest("b", null, 2L, null, "{\"inputs\":[1]}")));
    }

    @Test
    void anUnclosedDataDocumentIsRejectedNamingTheRecord() {
        DecodedRequest d = JsonEnvelopeCodec.decodeRequest(utf8("{\"uri\":\"a\",\"data\":{\"inputs\":[1]}"), null, "in-0@4");
        assertThat(((DecodedRequest.Rejected) d).result().error()).contains("record in-0@4");
        assertThat(d.uri()).isEqualTo("in-0@4"); // an unreadable record is keyed by its position
    }

    @Test
    void theBodysOwnSyntaxIsLeftToThePredictDecoder() {
        // Brackets balance, so the envelope passes the body on verbatim; decoding it names the problem.
        DecodedRequest d = JsonEnvelopeCodec.decodeRequest(utf8("{\"uri\":\"a\",\"data\":{\"instances\":[1,]}}"), null, "p");
        assertThat(((DecodedRequest.Accepted) d).request().data()).isEqualTo("{\"instances\":[1,]}");
    }

    @Test
    void resultRoundTripBothOutcomes() {
        QueueResult ok = new QueueResult("u", "m", 3L, "{\"predictions\":[[1.5,NaN]]}", null);
        byte[] okBytes = JsonEnvelopeCodec.encodeResult(ok);
        assertThat(new String(okBytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"uri\":\"u\",\"model\":\"m\",\"version\":3,\"value\":{\"predictions\":[[1.5,NaN]]}}");
        assertThat(JsonEnvelopeCodec.decodeResult(okBytes)).isEqualTo(ok);

        QueueResult bad = QueueResult.failure("u", "model 'x' not found");
        byte[] badBytes = JsonEnvelopeCodec.encodeResult(bad);
        assertThat(new String(badBytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"uri\":\"u\",\"model\":null,\"version\":null,\"error\":\"model 'x' not found\"}");
        assertThat(JsonEnvelopeCodec.decodeResult(badBytes)).isEqualTo(bad);
    }

    @Test
    void resultWithoutOutcomeFails() {
        assertThatThrownBy(() -> JsonEnvelopeCodec.decodeResult(utf8("{\"uri\":\"u\"}")))
                .hasMessageContaining("exactly one of 'value' or 'error'");
        assertThatThrownBy(() -> JsonEnvelopeCodec.decodeResult(utf8("{\"value\":{}}")))
                .hasMessageContaining("'uri'");
    }
}
