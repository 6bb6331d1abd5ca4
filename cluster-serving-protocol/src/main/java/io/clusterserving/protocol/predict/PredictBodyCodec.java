package io.clusterserving.protocol.predict;

import com.fasterxml.jackson.core.JsonFactory;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.service.PredictRequest;
import io.clusterserving.core.service.PredictResult;
import io.clusterserving.protocol.tfserving.TfPredictInputs;
import io.clusterserving.protocol.tfserving.TfPredictRequestDecoder;
import io.clusterserving.protocol.tfserving.TfPredictResponseWriter;
import io.clusterserving.protocol.v2.V2InferRequest;
import io.clusterserving.protocol.v2.V2InferRequestDecoder;
import io.clusterserving.protocol.v2.V2InferResponseWriter;
import io.clusterserving.protocol.v2.V2OutputRequest;
import io.clusterserving.protocol.v2.V2SignatureMatcher;

import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one reader of REST predict bodies (TF Serving row or columnar, V2 JSON or binary) into core
 * requests, and writer of their answers: the REST endpoints, the queue worker step and the Flink job
 * all go through it, so a body means the same thing whichever way it arrives. Works on the body's
 * bytes where they lie; holds only thread-safe codecs.
 */
public final class PredictBodyCodec {
    private final JsonFactory json;
    private final TfPredictRequestDecoder tfDecoder;
    private final TfPredictResponseWriter tfWriter;
    private final V2InferRequestDecoder v2Decoder;
    private final V2InferResponseWriter v2Writer;

    public PredictBodyCodec(JsonFactory json) {
        this.json = json;
        this.tfDecoder = new TfPredictRequestDecoder(json);
        this.tfWriter = new TfPredictResponseWriter(json);
        this.v2Decoder = new V2InferRequestDecoder(json);
        this.v2Writer = new V2InferResponseWriter(json);
    }

    /** The API of a body that came without a path (a queue entry); see {@link PredictApi#of}. */
    public PredictApi apiOf(byte[] body, int offset, int length) {
        return PredictApi.of(json, body, offset, length);
    }

    /**
     * Reads {@code body[offset, offset+length)} as a predict call of {@code api} for the model the
     * route or envelope names. The bytes must stay unchanged until the call has been answered: TF
     * Serving inputs are decoded only once the core knows the signature (JSON numbers need its dtypes).
     *
     * @param label              a version label, or null
     * @param binaryHeaderLength V2 only: the JSON part's length when binary tensor data follows
     *                           ({@code Inference-Header-Content-Length}), else -1
     * @throws io.clusterserving.core.error.ServingException INVALID_ARGUMENT naming what is wrong with the body
     */
    public PredictCall read(PredictApi api, String model, Long version, String label, byte[] body, int offset,
                            int length, int binaryHeaderLength) {
        if (api == PredictApi.V2) {
            V2InferRequest v2 = v2Decoder.decode(body, offset, length, binaryHeaderLength);
            Set<String> filter = Set.of();
            if (!v2.outputs().isEmpty()) {
                Set<String> names = new LinkedHashSet<>();
                for (V2OutputRequest o : v2.outputs()) {
                    names.add(o.name());
                }
                filter = names;
            }
            PredictRequest request = new PredictRequest(new ModelSpec(model, version, label, null),
                    signature -> V2SignatureMatcher.match(model, signature, v2), filter);
            return new V2Call(request, v2, v2Writer);
        }
        String signatureName = tfDecoder.signatureName(body, offset, length);
        TfPredictInputs inputs = new TfPredictInputs(tfDecoder, body, offset, length);
        PredictRequest request = new PredictRequest(new ModelSpec(model, version, label, signatureName), inputs,
                Set.of());
        return new TfServingCall(request, inputs, tfWriter);
    }

    private record TfServingCall(PredictRequest request, TfPredictInputs inputs, TfPredictResponseWriter writer)
            implements PredictCall {
        @Override
        public PredictApi api() {
            return PredictApi.TF_SERVING;
        }

        @Override
        public int writeAnswer(PredictResult result, OutputStream out) {
            writer.write(result, inputs.format(), out);
            return -1;
        }
    }

    private record V2Call(PredictRequest request, V2InferRequest body, V2InferResponseWriter writer)
            implements PredictCall {
        @Override
        public PredictApi api() {
            return PredictApi.V2;
        }

        @Override
        public int writeAnswer(PredictResult result, OutputStream out) {
            return writer.write(result, body, out);
        }
    }
}
