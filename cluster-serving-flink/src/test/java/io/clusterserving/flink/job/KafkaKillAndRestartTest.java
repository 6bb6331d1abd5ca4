package io.clusterserving.flink.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.flink.testing.JobProcess;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka in, Kafka out through the exactly-once sink: the job runs in its own JVM, is killed with
 * SIGKILL while requests keep arriving, and a second JVM on the same config resumes from the newest
 * checkpoint the dead one left in {@code checkpointDir}. A read_committed consumer sees every uri
 * exactly once with the right value: nothing the dead run had read is lost, and nothing it had
 * written in a transaction that never committed shows up (the restarted sink aborts those).
 */
class KafkaKillAndRestartTest {
    private static final String JOB = "cs_kafka_kill";
    private static final String IN = JOB;
    private static final String OUT = JOB + "-results";
    private static final int TOTAL = 3000;
    private static final int BEFORE_KILL = 1000;
    private static final int MIDDLE = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void kill9MidStreamAndRestartAnswersEveryRecordExactlyOnce() throws Exception {
        ExampleModels.halfPlusTwo(dir);
        try (KafkaNode kafka = KafkaNode.start()) {
            kafka.createTopic(IN, 2);
            kafka.createTopic(OUT, 1);
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, """
                    modelPath: %s
                    jobName: %s
                    queueUsed: kafka
                    kafkaUrl: %s
                    modelParallelism: 2
                    batchSize: 16
                    webUiPort: 0
                    checkpointIntervalMillis: 500
                    checkpointDir: %s
                    """.formatted(dir.resolve(ExampleModels.HALF_PLUS_TWO), JOB, kafka.bootstrapServers(),
                    dir.resolve("checkpoints")));
            Map<String, JsonNode> results = new HashMap<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new StringSerializer());
                 KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                         "bootstrap.servers", kafka.bootstrapServers(), "isolation.level", "read_committed",
                         "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(new TopicPartition(OUT, 0)));

                int answeredAtKill;
                long start = System.nanoTime();
                try (JobProcess first = JobProcess.start(config, dir.resolve("first.log"))) {
                    send(producer, 0, BEFORE_KILL);
                    first.await(() -> collect(consumer, results) >= 200, 90);
                    System.out.printf("first run: first results after %d ms%n", millisSince(start));
                    // The rest arrives around the kill: the first half while the job runs, the second
                    // half from the moment it is killed. Some is read and in an open transaction then,
                    // some read but not yet checkpointed, some not read at all.
                    CountDownLatch killing = new CountDownLatch(1);
                    Thread rest = new Thread(() -> {
                        sendPaced(producer, BEFORE_KILL, MIDDLE);
                        try {
                            killing.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        sendPaced(producer, MIDDLE, TOTAL);
                    });
                    rest.setDaemon(true); // never outlives a failed test parked on the latch
                    rest.start();
                    // Killed once a checkpoint with some of the late records has committed.
                    first.await(() -> collect(consumer, results) > BEFORE_KILL, 30);
                    killing.countDown();
                    first.kill();
                    rest.join();
                }
                // Whatever the dead run committed is visible now; its open transaction holds back
                // (read_committed) everything after it until the next run aborts it.
                answeredAtKill = collectUntilQuiet(consumer, results, Duration.ofSeconds(2));
                System.out.printf("kill -9 after %d of %d records were answered (committed), %d ms after the start%n",
                        answeredAtKill, TOTAL, millisSince(start));
                assertThat(answeredAtKill).as("committed results when killed mid-stream")
                        .isBetween(BEFORE_KILL + 1, TOTAL - 1);

                long restart = System.nanoTime();
                try (JobProcess second = JobProcess.start(config, dir.resolve("second.log"))) {
                    second.await(() -> collect(consumer, results) > answeredAtKill, 90);
                    System.out.printf("second run: first results after %d ms%n", millisSince(restart));
                    second.await(() -> collect(consumer, results) >= TOTAL, 90);
                    System.out.printf("second run: all results after %d ms%n", millisSince(restart));
                    // A few more checkpoints (500 ms each): a duplicate would now be committed and seen.
                    Thread.sleep(2000);
                    collect(consumer, results);
                    assertThat(second.log()).as("the second run resumed from the first run's checkpoint")
                            .contains("resumes from retained checkpoint");
                }
            }
            assertThat(results).hasSize(TOTAL);
            for (int i = 0; i < TOTAL; i++) {
                JsonNode r = results.get("k-" + i);
                assertThat(r).as("result of k-%d", i).isNotNull();
                assertThat(r.has("error")).as("k-%d failed: %s", i, r).isFalse();
                assertThat(r.get("value").get("predictions").get(0).asDouble()).as("k-%d", i).isEqualTo(0.5 * i + 2);
            }
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void send(KafkaProducer<String, String> producer, int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(request(i));
        }
        producer.flush();
    }

    /** About 25 records every 50 ms, so they keep arriving over a few seconds. */
    private static void sendPaced(KafkaProducer<String, String> producer, int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(request(i));
            if (i % 25 == 24) {
                producer.flush();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        producer.flush();
    }

    private static ProducerRecord<String, String> request(int i) {
        return new ProducerRecord<>(IN, "k-" + i, "{\"uri\": \"k-" + i + "\", \"data\": {\"instances\": [" + i + "]}}");
    }

    /** One poll's worth of committed results into {@code results}; fails on any duplicate uri. */
    private static int collect(KafkaConsumer<String, String> consumer, Map<String, JsonNode> results) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            JsonNode node;
            try {
                node = JSON.readTree(r.value());
            } catch (Exception e) {
                throw new AssertionError("result is not JSON: " + r.value(), e);
            }
            String uri = node.get("uri").asText();
            assertThat(results.put(uri, node)).as("duplicate result for %s", uri).isNull();
            assertThat(r.key()).isEqualTo(uri);
        }
        return results.size();
    }

    private static int collectUntilQuiet(KafkaConsumer<String, String> consumer, Map<String, JsonNode> results,
                                         Duration quiet) {
        long quietSince = System.nanoTime();
        int seen = results.size();
        while (System.nanoTime() - quietSince < quiet.toNanos()) {
            if (collect(consumer, results) != seen) {
                seen = results.size();
                quietSince = System.nanoTime();
            }
        }
        return seen;
    }
}
