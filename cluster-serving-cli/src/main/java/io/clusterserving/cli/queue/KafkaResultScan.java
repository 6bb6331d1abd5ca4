package io.clusterserving.cli.queue;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.client.KafkaQueueClient;
import io.clusterserving.queue.envelope.JsonEnvelopeCodec;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.kafka.KafkaQueueSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the result of one uri on a Kafka output topic. Kafka keeps no result by key, so this reads every
 * partition from its beginning to its current end (no consumer group, nothing committed) and keeps the
 * latest result whose key is the uri; with a wait it keeps reading new records until one arrives. Meant
 * for scripts and debugging — a topic with long retention makes it slow.
 */
final class KafkaResultScan {
    private static final Duration POLL = Duration.ofMillis(200);

    private KafkaResultScan() {
    }

    static Optional<QueueResult> find(KafkaQueueSettings settings, String uri, Duration wait) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.consumerProperties(null))) {
            List<TopicPartition> assigned = KafkaQueueClient.assignOutputTopic(consumer, settings);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            long deadline = System.nanoTime() + wait.toNanos();
            QueueResult found = null;
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    if (uri.equals(r.key())) {
                        try {
                            found = JsonEnvelopeCodec.decodeResult(r.value());
                        } catch (IllegalArgumentException e) {
                            // not a result of this contract; keep looking
                        }
                    }
                }
                boolean atEnd = assigned.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (atEnd && (found != null || System.nanoTime() >= deadline)) {
                    return Optional.ofNullable(found);
                }
            }
        } catch (KafkaException e) {
            throw new ServingException(StatusCode.UNAVAILABLE, "cannot read Kafka output topic '"
                    + settings.outputTopic() + "' at " + settings.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }
}
