package io.clusterserving.flink.sink;

import io.clusterserving.queue.envelope.JsonEnvelopeCodec;
import io.clusterserving.queue.envelope.QueueResult;

import java.nio.charset.StandardCharsets;

/**
 * A result as one JSON line, the queue contract's Kafka result value: {@code {"uri", "model",
 * "version", "value" | "error"}} with {@code value} embedded as JSON.
 */
public final class ResultJson {
    private ResultJson() {
    }

    public static String line(QueueResult result) {
        return new String(JsonEnvelopeCodec.encodeResult(result), StandardCharsets.UTF_8);
    }
}
