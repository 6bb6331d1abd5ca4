package io.clusterserving.protocol.predict;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.protocol.json.ServingJsonFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictApiTest {

    private static PredictApi detect(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return PredictApi.of(ServingJsonFactory.create(), bytes, 0, bytes.length);
    }

    @Test
    void tellsV2FromTfServingBodies() {
        assertThat(detect("{\"instances\": [[1, 2]]}")).isEqualTo(PredictApi.TF_SERVING);
        assertThat(detect("{\"inputs\": {\"x\": [1, 2]}}")).isEqualTo(PredictApi.TF_SERVING);
        assertThat(detect("{\"inputs\": [1, 2]}")).isEqualTo(PredictApi.TF_SERVING);
        assertThat(detect("{\"inputs\": [{\"b64\": \"AAAA\"}]}")).isEqualTo(PredictApi.TF_SERVING);
        assertThat(detect("{\"id\": \"7\", \"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\","
                + " \"data\": [1]}]}")).isEqualTo(PredictApi.V2);
    }

    @Test
    void rejectsBodiesThatAreNotObjects() {
        assertThatThrownBy(() -> detect("[1, 2]")).isInstanceOf(ServingException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> detect("{\"id\": [1,")).isInstanceOf(ServingException.class);
    }

    @Test
    void decidesOnTheFirstTellingKeyWithoutReadingTheValues() {
        // The truncated values are the decoder's to report; the kind is known from the key alone.
        assertThat(detect("{\"instances\": [1,")).isEqualTo(PredictApi.TF_SERVING);
        assertThat(detect("{\"inputs\": {\"x\": [1,")).isEqualTo(PredictApi.TF_SERVING);
    }

    /** Where the parser-free check says no, the parser still decides: instances as a later key is TF Serving. */
    @Test
    void instancesAsALaterKeyIsStillTfServing() {
        assertThat(detect("{\"signature_name\": \"s\", \"instances\": [1]}")).isEqualTo(PredictApi.TF_SERVING);
    }
}
