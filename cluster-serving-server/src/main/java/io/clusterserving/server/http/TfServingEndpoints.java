package io.clusterserving.server.http;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.service.ClassifyRequest;
import io.clusterserving.core.service.InferenceService;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.service.RegressRequest;
import io.clusterserving.protocol.predict.PredictApi;
import io.clusterserving.protocol.predict.PredictBodyCodec;
import io.clusterserving.protocol.predict.PredictCall;
import io.clusterserving.protocol.tfserving.ExamplesRequest;
import io.clusterserving.protocol.tfserving.ServingStatsWriter;
import io.clusterserving.protocol.tfserving.TfClassifyResponseWriter;
import io.clusterserving.protocol.tfserving.TfExamplesDecoder;
import io.clusterserving.protocol.tfserving.TfMetadataWriter;
import io.clusterserving.protocol.tfserving.TfRegressResponseWriter;
import io.clusterserving.protocol.tfserving.TfStatusWriter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TF Serving's REST API: predict (row and columnar), classify, regress, status, metadata, plus listing and stats. */
final class TfServingEndpoints {
    private final RestApi api;
    private final InferenceService service;
    private final PredictBodyCodec bodies;
    private final TfExamplesDecoder examplesDecoder;
    private final TfClassifyResponseWriter classifyWriter;
    private final TfRegressResponseWriter regressWriter;
    private final TfStatusWriter statusWriter;
    private final TfMetadataWriter metadataWriter;
    private final ServingStatsWriter statsWriter;

    TfServingEndpoints(RestApi api) {
        this.api = api;
        this.service = api.service();
        this.bodies = new PredictBodyCodec(api.json());
        this.examplesDecoder = new TfExamplesDecoder(api.json());
        this.classifyWriter = new TfClassifyResponseWriter(api.json());
        this.regressWriter = new TfRegressResponseWriter(api.json());
        this.statusWriter = new TfStatusWriter(api.json());
        this.metadataWriter = new TfMetadataWriter(api.json());
        this.statsWriter = new ServingStatsWriter(api.json());
    }

    void predict(Exchange ex, RestRoute route, BodyBytes body) {
        PredictCall call = bodies.read(PredictApi.TF_SERVING, route.model(), route.version(), route.label(),
                body.array(), body.offset(), body.length(), -1);
        api.dispatcher().run(ex, () -> service.predict(call.request()), (e, result) -> {
            BufferOutputStream out = Exchange.output(256 + body.length());
            call.writeAnswer(result, out);
            e.sendJson(200, out.buffer());
        });
    }

    /**
     * TF Serving's Classify: examples in, {@code {"results": [[[label, score], ...], ...]}} out. Models without
     * classify (ONNX, TorchScript, TF predict signatures) answer 501 from the service.
     */
    void classify(Exchange ex, RestRoute route, BodyBytes body) {
        api.dispatcher().run(ex, () -> {
            ExamplesRequest r = examplesDecoder.decode(body.array(), body.offset(), body.length(), "classify");
            return service.classify(new ClassifyRequest(spec(route, r), r.examples(), r.context()));
        }, (e, result) -> {
            BufferOutputStream out = Exchange.output(64 + 48 * result.classifications().size());
            classifyWriter.write(result, out);
            e.sendJson(200, out.buffer());
        });
    }

    /** TF Serving's Regress: examples in, {@code {"results": [value, ...]}} out. */
    void regress(Exchange ex, RestRoute route, BodyBytes body) {
        api.dispatcher().run(ex, () -> {
            ExamplesRequest r = examplesDecoder.decode(body.array(), body.offset(), body.length(), "regress");
            return service.regress(new RegressRequest(spec(route, r), r.examples(), r.context()));
        }, (e, result) -> {
            BufferOutputStream out = Exchange.output(32 + 16 * result.values().size());
            regressWriter.write(result, out);
            e.sendJson(200, out.buffer());
        });
    }

    private static ModelSpec spec(RestRoute route, ExamplesRequest request) {
        return new ModelSpec(route.model(), route.version(), route.label(), request.signatureName());
    }

    void status(Exchange ex, RestRoute route) {
        List<ModelVersionStatus> status = service.status(spec(route));
        BufferOutputStream out = Exchange.output(256);
        statusWriter.writeStatus(status, out);
        ex.sendJson(200, out.buffer());
    }

    void metadata(Exchange ex, RestRoute route) {
        ModelMetadata md = service.metadata(spec(route));
        BufferOutputStream out = Exchange.output(1024);
        metadataWriter.write(md, out);
        ex.sendJson(200, out.buffer());
    }

    void list(Exchange ex) {
        Map<String, List<ModelVersionStatus>> models = new LinkedHashMap<>();
        for (String name : service.modelNames()) {
            try {
                models.put(name, service.status(ModelSpec.latest(name)));
            } catch (ServingException e) {
                models.put(name, List.of()); // removed between the two calls
            }
        }
        BufferOutputStream out = Exchange.output(1024);
        statusWriter.writeListing(models, out);
        ex.sendJson(200, out.buffer());
    }

    void stats(Exchange ex, RestRoute route) {
        var stats = service.stats(route.model());
        BufferOutputStream out = Exchange.output(512);
        statsWriter.write(route.model(), stats, out);
        ex.sendJson(200, out.buffer());
    }

    private static ModelSpec spec(RestRoute route) {
        return new ModelSpec(route.model(), route.version(), route.label(), null);
    }
}
