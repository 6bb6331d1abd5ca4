package io.clusterserving.flink.source;

import io.clusterserving.queue.envelope.DecodedRequest;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;

/**
 * One request as it travels from a source to the inference operator. A flat record of nullable
 * strings so Flink serializes it with its POJO serializer (no Kryo) when it crosses the network.
 *
 * @param ackId     what the sink acknowledges once the result is written: the Redis stream entry id;
 *                  null for sources without acknowledgements (files, Kafka)
 * @param rejection non-null when the entry could not even be decoded: the error result to write back
 * @param endOfBurst true on the last request of a read that drained the queue for now: the inference
 *                   operator then runs its micro-batch at once instead of waiting for more
 */
public record ServingRequest(String ackId, String uri, String model, Long version, String replyTo, String data,
                             String rejection, boolean endOfBurst) {

    public ServingRequest(String ackId, String uri, String model, Long version, String replyTo, String data,
                          String rejection) {
        this(ackId, uri, model, version, replyTo, data, rejection, false);
    }

    public static ServingRequest of(String ackId, DecodedRequest decoded) {
        if (decoded instanceof DecodedRequest.Accepted a) {
            QueueRequest r = a.request();
            return new ServingRequest(ackId, r.uri(), r.model(), r.version(), r.replyTo(), r.data(), null);
        }
        QueueResult r = ((DecodedRequest.Rejected) decoded).result();
        return new ServingRequest(ackId, r.uri(), r.model(), r.version(), r.replyTo(), null, r.error());
    }

    public static ServingRequest accepted(String ackId, String uri, String data) {
        return new ServingRequest(ackId, uri, null, null, null, data, null);
    }

    /** This request, marked as the last of a read that drained the queue. */
    public ServingRequest endingBurst() {
        return new ServingRequest(ackId, uri, model, version, replyTo, data, rejection, true);
    }

    public boolean isRejected() {
        return rejection != null;
    }
}
