package io.clusterserving.server.http;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.manager.VersionState;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.service.InferenceService;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.protocol.predict.PredictApi;
import io.clusterserving.protocol.predict.PredictBodyCodec;
import io.clusterserving.protocol.predict.PredictCall;
import io.clusterserving.protocol.v2.V2MetadataWriter;
import io.clusterserving.protocol.v2.V2Protocol;
import io.vertx.core.http.HttpHeaders;

import java.util.ArrayList;
import java.util.List;

/** The V2 / Open Inference Protocol REST API, with the binary tensor data extension. */
final class V2Endpoints {
    private static final CharSequence HEADER_LENGTH = HttpHeaders.createOptimized(V2Protocol.INFERENCE_HEADER_CONTENT_LENGTH);

    private final RestApi api;
    private final InferenceService service;
    private final PredictBodyCodec bodies;
    private final V2MetadataWriter metadataWriter;

    V2Endpoints(RestApi api) {
        this.api = api;
        this.service = api.service();
        this.bodies = new PredictBodyCodec(api.json());
        this.metadataWriter = new V2MetadataWriter(api.json());
    }

    void server(Exchange ex) {
        BufferOutputStream out = Exchange.output(128);
        metadataWriter.writeServer(out);
        ex.sendJson(200, out.buffer());
    }

    void live(Exchange ex) {
        BufferOutputStream out = Exchange.output(32);
        metadataWriter.writeReady(null, "live", true, out);
        ex.sendJson(200, out.buffer());
    }

    void ready(Exchange ex) {
        if (!service.isReady()) {
            ex.sendError(400, "server is not ready: not every model has an AVAILABLE version");
            return;
        }
        BufferOutputStream out = Exchange.output(32);
        metadataWriter.writeReady(null, "ready", true, out);
        ex.sendJson(200, out.buffer());
    }

    void modelReady(Exchange ex, RestRoute route) {
        List<ModelVersionStatus> status = service.status(spec(route));
        boolean ready = status.stream().anyMatch(s -> s.state() == VersionState.AVAILABLE);
        if (!ready) {
            ex.sendError(400, spec(route).describe() + " is not ready: no AVAILABLE version");
            return;
        }
        BufferOutputStream out = Exchange.output(64);
        metadataWriter.writeReady(route.model(), "ready", true, out);
        ex.sendJson(200, out.buffer());
    }

    void model(Exchange ex, RestRoute route) {
        ModelMetadata md = service.metadata(spec(route));
        Signature sig = md.signatures().get(Signature.DEFAULT_NAME);
        if (sig == null) {
            if (md.signatures().isEmpty()) {
                throw ServingException.failedPrecondition("%s has no signatures", spec(route).describe());
            }
            sig = md.signatures().values().iterator().next();
        }
        List<Long> versions = new ArrayList<>();
        for (ModelVersionStatus s : service.status(ModelSpec.latest(route.model()))) {
            if (s.state() == VersionState.AVAILABLE) {
                versions.add(s.version());
            }
        }
        BufferOutputStream out = Exchange.output(512);
        metadataWriter.writeModel(md, sig, versions, out);
        ex.sendJson(200, out.buffer());
    }

    void infer(Exchange ex, RestRoute route, BodyBytes body) {
        int headerLength = headerLength(ex);
        PredictCall call = bodies.read(PredictApi.V2, route.model(), route.version(), null, body.array(),
                body.offset(), body.length(), headerLength);
        api.dispatcher().run(ex, () -> service.predict(call.request()), (e, result) -> {
            BufferOutputStream out = Exchange.output(256 + body.length());
            int jsonLength = call.writeAnswer(result, out);
            if (jsonLength >= 0) {
                e.request.response().putHeader(HEADER_LENGTH, Integer.toString(jsonLength));
                e.send(200, Exchange.OCTET_STREAM, out.buffer());
            } else {
                e.sendJson(200, out.buffer());
            }
        });
    }

    private static int headerLength(Exchange ex) {
        String h = ex.request.getHeader(HEADER_LENGTH);
        if (h == null) {
            return -1;
        }
        try {
            int n = Integer.parseInt(h.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ServingException.invalidArgument("%s must be a non-negative integer, got '%s'",
                V2Protocol.INFERENCE_HEADER_CONTENT_LENGTH, h);
    }

    private static ModelSpec spec(RestRoute route) {
        return new ModelSpec(route.model(), route.version(), null, null);
    }
}
