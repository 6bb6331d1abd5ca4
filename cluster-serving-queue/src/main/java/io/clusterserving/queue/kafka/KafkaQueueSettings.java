package io.clusterserving.queue.kafka;

import io.clusterserving.core.error.ServingException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.Properties;

/**
 * Where a Cluster Serving job's Kafka queue is: brokers, request topic, result topic, plus any client
 * properties (security, timeouts) applied on top of the defaults here.
 *
 * <p>Records: key = uri (String), value = the JSON envelope (bytes, see JsonEnvelopeCodec).
 */
public record KafkaQueueSettings(String bootstrapServers, String inputTopic, String outputTopic,
                                 Map<String, String> clientProperties) {
    public KafkaQueueSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw ServingException.invalidArgument("Kafka bootstrap servers are missing; expected host:port[,host:port]");
        }
        if (inputTopic == null || inputTopic.isBlank()) {
            throw ServingException.invalidArgument("Kafka input topic is missing");
        }
        if (outputTopic == null || outputTopic.isBlank()) {
            throw ServingException.invalidArgument("Kafka output topic is missing");
        }
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
    }

    public static KafkaQueueSettings of(String bootstrapServers, String inputTopic, String outputTopic) {
        return new KafkaQueueSettings(bootstrapServers, inputTopic, outputTopic, Map.of());
    }

    /** String keys, byte[] values; idempotent, acks=all, a short linger so batches form under load. */
    public Properties producerProperties() {
        Properties p = base();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "2");
        return p;
    }

    /**
     * String keys, byte[] values, no auto-commit (a reader commits after its results are written).
     * {@code groupId} null gives a group-less consumer for {@code assign()}.
     */
    public Properties consumerProperties(String groupId) {
        Properties p = base();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        }
        return p;
    }

    private Properties base() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.putAll(clientProperties);
        return p;
    }
}
