package io.clusterserving.flink.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.testing.KafkaNode;
import io.clusterserving.onnx.build.ExampleModels;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests from a Kafka topic, results to another through the exactly-once sink (read_committed),
 * across a cancel and a restart of the job that resumes from the retained checkpoint: every record
 * answered once, none lost, none duplicated.
 */
class KafkaClusterServingJobTest {
    private static final String IN = "cs_kafka";
    private static final String OUT = "cs_kafka-results";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyRecordIsAnsweredExactlyOnceAcrossARestart() throws Exception {
        ExampleModels.halfPlusTwo(dir);
        try (KafkaNode kafka = KafkaNode.start()) {
            kafka.createTopic(IN, 2);
            kafka.createTopic(OUT, 1);
            ClusterServingConfig config = ClusterServingConfig.fromYaml("""
                    modelPath: %s
                    jobName: cs_kafka
                    queueUsed: kafka
                    kafkaUrl: %s
                    modelParallelism: 2
                    batchSize: 16
                    webUiPort: 0
                    checkpointIntervalMillis: 500
                    checkpointDir: %s
                    """.formatted(dir.resolve(ExampleModels.HALF_PLUS_TWO), kafka.bootstrapServers(),
                    dir.resolve("checkpoints")));
            Map<String, JsonNode> results = new HashMap<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new StringSerializer());
                 KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                         "bootstrap.servers", kafka.bootstrapServers(), "isolation.level", "read_committed",
                         "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(new TopicPartition(OUT, 0)));
                send(producer, 0, 200);
                producer.send(new ProducerRecord<>(IN, "no-data", "{\"uri\": \"no-data\"}"));
                producer.send(new ProducerRecord<>(IN, null, "not json"));
                producer.flush();
                try (JobHandle job = ClusterServingJob.start(config)) {
                    collect(consumer, results, 202);
                    assertThat(job.status()).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
                    send(producer, 200, 300); // some of these are in flight when the job stops
                    Thread.sleep(200);
                }
                send(producer, 300, 400);
                try (JobHandle job = ClusterServingJob.start(config)) {
                    collect(consumer, results, 402);
                    assertThat(job.status()).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
                    Thread.sleep(1500); // three more checkpoints: any duplicate would now be visible
                    collect(consumer, results, 402);
                }
            }
            assertThat(results).hasSize(402);
            for (int i = 0; i < 400; i++) {
                JsonNode r = results.get("k-" + i);
                assertThat(r.get("version").asLong()).isEqualTo(1);
                assertThat(r.get("model").asText()).isEqualTo("half_plus_two");
                assertThat(r.get("value").get("predictions").get(0).asDouble()).isEqualTo(0.5 * i + 2);
            }
            assertThat(results.get("no-data").get("error").asText()).contains("'data' is missing");
            assertThat(results.get("no-data").get("code").asText()).isEqualTo("INVALID_ARGUMENT");
            assertThat(results.keySet()).anyMatch(k -> k.startsWith(IN + "-") && k.contains("@"));
        }
    }

    private static void send(KafkaProducer<String, String> producer, int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>(IN, "k-" + i,
                    "{\"uri\": \"k-" + i + "\", \"data\": {\"instances\": [" + i + "]}}"));
        }
        producer.flush();
    }

    /** Reads results until {@code expected} distinct uris arrived; fails on any duplicate. */
    private static void collect(KafkaConsumer<String, String> consumer, Map<String, JsonNode> results, int expected)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                JsonNode node = JSON.readTree(r.value());
                String uri = node.get("uri").asText();
                assertThat(results.put(uri, node)).as("duplicate result for %s", uri).isNull();
                assertThat(r.key()).isEqualTo(uri);
            }
        } while (results.size() < expected && System.nanoTime() < deadline);
        assertThat(results).hasSize(expected);
    }
}
