package io.clusterserving.flink.sink;

import io.clusterserving.queue.envelope.JsonEnvelopeCodec;
import io.clusterserving.queue.envelope.QueueResult;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/** A result as a Kafka record of the contract: key = uri, value = {@code {"uri", "model", "version", "value" | "error"}}. */
public final class KafkaResultSerializer implements KafkaRecordSerializationSchema<QueueResult> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public KafkaResultSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(QueueResult result, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, result.uri().getBytes(StandardCharsets.UTF_8),
                JsonEnvelopeCodec.encodeResult(result));
    }
}
