package io.clusterserving.cli.client;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.protocol.json.ServingJsonFactory;
import io.clusterserving.protocol.predict.PredictApi;
import io.clusterserving.protocol.predict.PredictBodyCodec;
import io.clusterserving.protocol.predict.PredictCall;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A TF Serving REST predict body as a client command is given it, read through the one body adapter
 * so it means what it means to the REST frontend. The gRPC commands take the same bodies as the REST
 * ones: JSON numbers carry no dtype, so the model's signature (from its metadata) gives each input's
 * type, as on the server.
 */
public final class TfPredictBody {
    private static final PredictBodyCodec CODEC = new PredictBodyCodec(ServingJsonFactory.create());

    private final PredictCall call;

    private TfPredictBody(PredictCall call) {
        this.call = call;
    }

    /**
     * The signature named {@code wanted}, else {@code serving_default}, else the model's only signature;
     * a ClientException listing the signatures when there is no such one.
     */
    public static Signature signature(ModelMetadata metadata, String wanted) {
        Map<String, Signature> signatures = metadata.signatures();
        String name = wanted != null ? wanted : Signature.DEFAULT_NAME;
        Signature sig = signatures.get(name);
        if (sig == null && wanted == null && signatures.size() == 1) {
            sig = signatures.values().iterator().next();
        }
        if (sig == null) {
            throw new ClientException("model '" + metadata.modelName() + "' has no signature '" + name + "'; it has "
                    + signatures.keySet());
        }
        return sig;
    }

    /** The signature's inputs as the request builders describe them. */
    public static List<InputSpec> inputSpecs(Signature signature) {
        List<InputSpec> specs = new ArrayList<>();
        for (TensorSpec input : signature.inputs()) {
            specs.add(new InputSpec(input.name(), input.dtype().v2Name(), input.shape()));
        }
        return specs;
    }

    /**
     * Reads a TF Serving REST predict body (row {@code instances} or columnar {@code inputs}) for
     * {@code model} through the one body adapter, so a gRPC command takes a body as the REST frontend
     * would; a ClientException says what is wrong with it.
     */
    public static TfPredictBody read(String model, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            return new TfPredictBody(CODEC.read(PredictApi.TF_SERVING, model, null, null, bytes, 0, bytes.length, -1));
        } catch (ServingException e) {
            throw new ClientException("the request body: " + e.getMessage());
        }
    }

    /** The body's top-level {@code signature_name}, null when it names none. */
    public String signatureName() {
        return call.request().model().signatureName();
    }

    /** The body's inputs, typed and shaped by {@code signature}; a ClientException says what does not fit. */
    public Map<String, Tensor> decode(Signature signature) {
        try {
            return call.request().inputs().decode(signature);
        } catch (ServingException e) {
            throw new ClientException("the request body does not fit signature '" + signature.name() + "': "
                    + e.getMessage());
        }
    }
}
