package io.clusterserving.queue.envelope;

import java.util.Objects;

/**
 * One prediction request travelling through a queue, from the client to the worker step — also the
 * record the Flink job passes from its source to its inference operator (flat fields, for Flink's
 * record serializer).
 *
 * @param uri        the caller's id for this request; the result is stored and published under it
 * @param model      model name, or null for the job's default model
 * @param version    model version, or null for the latest available one
 * @param replyTo    Redis only: a stream to XADD the result to as well, or null
 * @param data       the request body exactly as the REST API accepts it for predict (TF Serving row or
 *                   columnar JSON, or V2 JSON), kept as text so it is parsed once, by the worker step;
 *                   null only for a rejected entry
 * @param ackId      routing only, never written to the queue: what to acknowledge once the result is
 *                   written (the Redis stream entry id); null for queues without acknowledgements
 * @param rejection  non-null when the entry could not even be decoded: the error the worker answers
 *                   with (INVALID_ARGUMENT) instead of running anything
 * @param endOfBurst routing only: true on the last request of a read that drained the queue for now,
 *                   so the worker runs its micro-batch at once instead of waiting for more
 */
public record QueueRequest(String uri, String model, Long version, String replyTo, String data, String ackId,
                           String rejection, boolean endOfBurst) {
    public QueueRequest {
        Objects.requireNonNull(uri, "uri");
        if (rejection == null) {
            Objects.requireNonNull(data, "data");
        }
    }

    public QueueRequest(String uri, String model, Long version, String replyTo, String data) {
        this(uri, model, version, replyTo, data, null, null, false);
    }

    public static QueueRequest of(String uri, String data) {
        return new QueueRequest(uri, null, null, null, data);
    }

    /**
     * What a reader of the queue hands the worker for one entry: the request as decoded, or a rejected
     * one carrying its decoding error, to be answered and acknowledged like any other.
     *
     * @param ackId the entry to acknowledge once its result is written, or null
     */
    public static QueueRequest received(String ackId, DecodedRequest decoded) {
        if (decoded instanceof DecodedRequest.Accepted a) {
            QueueRequest r = a.request();
            return new QueueRequest(r.uri, r.model, r.version, r.replyTo, r.data, ackId, null, false);
        }
        QueueResult r = ((DecodedRequest.Rejected) decoded).result();
        return new QueueRequest(r.uri(), r.model(), r.version(), r.replyTo(), null, ackId, r.error(), false);
    }

    /** A request that could not be decoded; the worker answers {@code error}. */
    public static QueueRequest rejected(String uri, String error) {
        return new QueueRequest(uri, null, null, null, null, null, error, false);
    }

    public QueueRequest withModel(String modelName, Long modelVersion) {
        return new QueueRequest(uri, modelName, modelVersion, replyTo, data, ackId, rejection, endOfBurst);
    }

    public QueueRequest withReplyTo(String stream) {
        return new QueueRequest(uri, model, version, stream, data, ackId, rejection, endOfBurst);
    }

    /** This request, marked as the last of a read that drained the queue. */
    public QueueRequest endingBurst() {
        return new QueueRequest(uri, model, version, replyTo, data, ackId, rejection, true);
    }

    public boolean isRejected() {
        return rejection != null;
    }
}
