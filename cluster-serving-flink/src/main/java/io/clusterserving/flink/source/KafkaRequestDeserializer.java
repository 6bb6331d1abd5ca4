package io.clusterserving.flink.source;

import io.clusterserving.queue.envelope.JsonEnvelopeCodec;
import io.clusterserving.queue.envelope.QueueRequest;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Kafka request records (key = uri, value = {@code {"uri", "model"?, "version"?, "data"}}) to
 * requests; a bad record becomes a rejected request named by its key or its position
 * {@code <topic>-<partition>@<offset>}, never an exception that would stop the job.
 */
public final class KafkaRequestDeserializer implements KafkaRecordDeserializationSchema<QueueRequest> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<QueueRequest> out) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String position = record.topic() + "-" + record.partition() + "@" + record.offset();
        out.collect(QueueRequest.received(null, JsonEnvelopeCodec.decodeRequest(record.value(), key, position)));
    }

    @Override
    public TypeInformation<QueueRequest> getProducedType() {
        return TypeInformation.of(QueueRequest.class);
    }
}
