package io.clusterserving.queue.envelope;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

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
