package io.clusterserving.server.http;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.service.RawPredictBackend;
import io.clusterserving.protocol.v2.V2Protocol;
import io.vertx.core.buffer.Buffer;

import java.util.Arrays;

/**
 * Predict and V2 infer when the service forwards bodies instead of running models (a frontend over a
 * queue): the body goes to the backend untouched and its answer comes back verbatim, so the REST surface
 * is the same as with local models.
 */
final class RawPredictEndpoints {
    private final RestApi api;
    private final RawPredictBackend backend;

    RawPredictEndpoints(RestApi api, RawPredictBackend backend) {
        this.api = api;
        this.backend = backend;
    }

    void predict(Exchange ex, RestRoute route, BodyBytes body) {
        forward(ex, new ModelSpec(route.model(), route.version(), route.label(), null), body);
    }

    void infer(Exchange ex, RestRoute route, BodyBytes body) {
        if (ex.request.getHeader(V2Protocol.INFERENCE_HEADER_CONTENT_LENGTH) != null) {
            throw ServingException.invalidArgument("the binary tensor data extension (%s) cannot travel through a "
                    + "queue; send the tensors as JSON", V2Protocol.INFERENCE_HEADER_CONTENT_LENGTH);
        }
        forward(ex, new ModelSpec(route.model(), route.version(), null, null), body);
    }

    private void forward(Exchange ex, ModelSpec spec, BodyBytes body) {
        // The body buffer belongs to Netty; the backend may hold the bytes past this call.
        byte[] bytes = Arrays.copyOfRange(body.array(), body.offset(), body.offset() + body.length());
        api.dispatcher().run(ex, () -> backend.predictRaw(spec, bytes),
                (e, answer) -> e.sendJson(200, Buffer.buffer(answer)));
    }
}
