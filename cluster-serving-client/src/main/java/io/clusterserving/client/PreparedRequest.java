package io.clusterserving.client;

import io.clusterserving.core.model.ModelSpec;

/**
 * A predict request encoded once for its client, to send many times: a load generator prepares its
 * request up front and spends no time encoding per call. Only the client that prepared it may send it.
 */
public final class PreparedRequest {
    private final ServingClient owner;
    private final ModelSpec model;
    private final Object encoded;
    private final long sizeBytes;

    PreparedRequest(ServingClient owner, ModelSpec model, Object encoded, long sizeBytes) {
        this.owner = owner;
        this.model = model;
        this.encoded = encoded;
        this.sizeBytes = sizeBytes;
    }

    public ModelSpec model() {
        return model;
    }

    /** Bytes on the wire for the request body (excluding transport framing). */
    public long sizeBytes() {
        return sizeBytes;
    }

    <T> T encodedFor(ServingClient client, Class<T> type) {
        if (client != owner) {
            throw new IllegalArgumentException("this request was prepared by another client");
        }
        return type.cast(encoded);
    }
}
