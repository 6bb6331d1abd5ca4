package io.clusterserving.protocol.predict;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.protocol.json.ServingJsonFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one predict body reader: bodies read where they lie, the model spec and output filter they ask for. */
class PredictBodyCodecTest {
    private final PredictBodyCodec codec = new PredictBodyCodec(ServingJsonFactory.create());

    @Test
    void aTfServingBodyInsideALargerBufferNamesItsSignature() {
        byte[] buf = "xx{\"signature_name\": \"serving_default\", \"instances\": [1]}yy"
                .getBytes(StandardCharsets.UTF_8);
        int length = buf.length - 4;
        assertThat(codec.apiOf(buf, 2, length)).isEqualTo(PredictApi.TF_SERVING);
        PredictCall call = codec.read(PredictApi.TF_SERVING, "m", null, "stable", buf, 2, length, -1);
        assertThat(call.api()).isEqualTo(PredictApi.TF_SERVING);
        assertThat(call.request().model()).isEqualTo(new ModelSpec("m", null, "stable", "serving_default"));
        assertThat(call.request().outputFilter()).isEmpty();
    }

    @Test
    void aV2BodyAsksForTheOutputsItNames() {
        byte[] body = ("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}],"
                + " \"outputs\": [{\"name\": \"y\"}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(codec.apiOf(body, 0, body.length)).isEqualTo(PredictApi.V2);
        PredictCall call = codec.read(PredictApi.V2, "m", null, null, body, 0, body.length, -1);
        assertThat(call.api()).isEqualTo(PredictApi.V2);
        assertThat(call.request().model()).isEqualTo(new ModelSpec("m", null, null, null));
        assertThat(call.request().outputFilter()).containsExactly("y");
    }

    @Test
    void aSignatureNameThatIsNotAStringIsRefusedNamingTheField() {
        byte[] body = "{\"signature_name\": 7, \"instances\": [1]}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.read(PredictApi.TF_SERVING, "m", null, null, body, 0, body.length, -1))
                .isInstanceOf(ServingException.class).hasMessageContaining("'signature_name' must be a string");
    }
}
