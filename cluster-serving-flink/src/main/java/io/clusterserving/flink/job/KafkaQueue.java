package io.clusterserving.flink.job;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.sink.KafkaResultSerializer;
import io.clusterserving.flink.source.KafkaRequestDeserializer;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Kafka ends of the job. Exactly-once: the source's offsets are part of Flink's checkpoints (and
 * committed to the group on completion), and the sink writes each checkpoint's results in one Kafka
 * transaction committed when the checkpoint completes; consumers reading {@code read_committed} see
 * every result once, at the pace of checkpoints. A restart resumes from the last checkpoint (or the
 * group's committed offsets) and aborts the transactions the dead run left open.
 */
final class KafkaQueue {
    /** Brokers cap transactions at transaction.max.timeout.ms, 15 minutes by default. */
    private static final String TRANSACTION_TIMEOUT_MS = "900000";
    /**
     * Results become visible only when their checkpoint's transaction commits, so waiting a few
     * milliseconds to fill larger produce requests costs no visible latency. The client's 16 KB
     * default holds ~10 dense128 results per batch; larger batches mean fewer requests for the broker
     * (which shares the cores with the job in small set-ups) to handle.
     */
    private static final String SINK_BATCH_BYTES = String.valueOf(256 * 1024);
    private static final String SINK_LINGER_MS = "10";

    private KafkaQueue() {
    }

    @SuppressWarnings("deprecation") // the connector's committedOffsets(...) still takes OffsetResetStrategy
    static KafkaSource<QueueRequest> source(ClusterServingConfig config) {
        return KafkaSource.<QueueRequest>builder()
                .setBootstrapServers(kafkaUrl(config))
                .setTopics(config.kafkaInputTopic())
                .setGroupId(groupId(config))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new KafkaRequestDeserializer())
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    static KafkaSink<QueueResult> sink(ClusterServingConfig config) {
        if (config.checkpointIntervalMillis() == 0) {
            throw ServingException.invalidArgument("queueUsed kafka writes results exactly once at checkpoints; "
                    + "checkpointIntervalMillis must not be 0");
        }
        return KafkaSink.<QueueResult>builder()
                .setBootstrapServers(kafkaUrl(config))
                .setRecordSerializer(new KafkaResultSerializer(config.kafkaOutputTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix("cluster-serving-" + config.jobName())
                .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
                .setProperty("batch.size", SINK_BATCH_BYTES)
                .setProperty("linger.ms", SINK_LINGER_MS)
                .build();
    }

    static String groupId(ClusterServingConfig config) {
        return "cluster-serving-" + config.jobName();
    }

    private static String kafkaUrl(ClusterServingConfig config) {
        if (config.kafkaUrl() == null || config.kafkaUrl().isBlank()) {
            throw ServingException.invalidArgument("config key 'kafkaUrl' is missing; queueUsed is kafka");
        }
        return config.kafkaUrl();
    }
}
