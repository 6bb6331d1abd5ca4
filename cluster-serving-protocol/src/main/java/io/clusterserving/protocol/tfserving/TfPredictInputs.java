package io.clusterserving.protocol.tfserving;

import io.clusterserving.core.model.Signature;
import io.clusterserving.core.service.InputDecoder;
import io.clusterserving.core.tensor.Tensor;

import java.util.Map;

/**
 * The inputs of a TF Serving predict body, decoded when the service knows which signature will run
 * it (JSON numbers need the signature's dtypes). It remembers the body's layout, row or columnar,
 * because the answer must use the same one: REST, the queue processor and the Flink job all need that.
 */
public final class TfPredictInputs implements InputDecoder {
    private final TfPredictRequestDecoder decoder;
    private final byte[] body;
    private final int offset;
    private final int length;
    private volatile RequestFormat format = RequestFormat.ROW;

    public TfPredictInputs(TfPredictRequestDecoder decoder, byte[] body, int offset, int length) {
        this.decoder = decoder;
        this.body = body;
        this.offset = offset;
        this.length = length;
    }

    public TfPredictInputs(TfPredictRequestDecoder decoder, byte[] body) {
        this(decoder, body, 0, body.length);
    }

    @Override
    public Map<String, Tensor> decode(Signature signature) {
        TfPredictRequestDecoder.Decoded decoded = decoder.decode(body, offset, length, signature);
        format = decoded.format();
        return decoded.inputs();
    }

    /** The layout the body used; {@link RequestFormat#ROW} until {@link #decode} has run. */
    public RequestFormat format() {
        return format;
    }
}
