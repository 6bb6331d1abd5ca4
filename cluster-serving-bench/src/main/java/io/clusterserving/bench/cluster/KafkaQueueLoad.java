package io.clusterserving.bench.cluster;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.envelope.JsonEnvelopeCodec;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.kafka.KafkaQueueSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kafka: request records on the input topic, results counted on the output topic with
 * {@code read_committed}, so with the job's exactly-once sink a result counts only once its
 * transaction commits (on a checkpoint) — the latency a downstream consumer really sees.
 */
public final class KafkaQueueLoad implements QueueLoad {
    private final KafkaQueueSettings settings;
    private final String model;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> results;
    private final List<TopicPartition> outputPartitions;

    /** @param awaitJob how long to wait for the output topic (a job just started creates it soon) */
    public KafkaQueueLoad(KafkaQueueSettings settings, String model, Duration awaitJob) throws InterruptedException {
        this.settings = settings;
        this.model = model;
        Properties p = settings.producerProperties();
        // A bulk load: bigger batches than the interactive client's defaults.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        Properties c = settings.consumerProperties(null);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try {
            this.producer = new KafkaProducer<>(p);
            this.results = new KafkaConsumer<>(c);
        } catch (KafkaException e) {
            throw new ServingException(StatusCode.UNAVAILABLE, "cannot create Kafka clients for "
                    + settings.bootstrapServers() + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + awaitJob.toNanos();
        List<PartitionInfo> partitions = results.partitionsFor(settings.outputTopic(), Duration.ofSeconds(30));
        while ((partitions == null || partitions.isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            partitions = results.partitionsFor(settings.outputTopic(), Duration.ofSeconds(30));
        }
        if (partitions == null || partitions.isEmpty()) {
            close();
            throw new ServingException(StatusCode.FAILED_PRECONDITION, "Kafka at " + settings.bootstrapServers()
                    + " has no topic '" + settings.outputTopic() + "': start the job first (cluster start --config ...)");
        }
        this.outputPartitions = partitions.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        results.assign(outputPartitions);
    }

    @Override
    public String describe() {
        return "Kafka " + settings.bootstrapServers() + ", topics '" + settings.inputTopic() + "' -> '"
                + settings.outputTopic() + "'";
    }

    @Override
    public RunResult run(String prefix, int records, String body, Duration timeout, ResultCheck check)
            throws InterruptedException {
        // Only results of this run count: start reading at the output topic's current end.
        results.seekToEnd(outputPartitions);
        outputPartitions.forEach(results::position);
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < records; i++) {
            String uri = prefix + i;
            producer.send(new ProducerRecord<>(settings.inputTopic(), uri,
                    JsonEnvelopeCodec.encodeRequest(new QueueRequest(uri, model, null, null, body))), (meta, e) -> {
                if (e != null) {
                    sendFailure.compareAndSet(null, e);
                }
            });
        }
        producer.flush();
        long enqueued = System.nanoTime() - start;
        if (sendFailure.get() != null) {
            throw new ServingException(StatusCode.UNAVAILABLE, "sending to topic '" + settings.inputTopic()
                    + "' failed: " + sendFailure.get().getMessage(), sendFailure.get());
        }
        long deadline = start + timeout.toNanos();
        // Measured runs only count results by their key (the uri) while the clock runs and decode them
        // after it stops, so checking them takes no CPU from the job being measured.
        ErrorTally tally = new ErrorTally();
        List<byte[]> answers = check == ResultCheck.AFTER_CLOCK ? new ArrayList<>(records) : null;
        int received = 0;
        while (received < records) {
            if (System.nanoTime() > deadline) {
                throw new ServingException(StatusCode.DEADLINE_EXCEEDED, "after " + timeout.toSeconds() + " s only "
                        + received + " of " + records + " results were committed to '" + settings.outputTopic()
                        + "'");
            }
            for (ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(20))) {
                if (r.key() != null && r.key().startsWith(prefix)) { // else another client's result
                    received++;
                    if (answers != null) {
                        answers.add(r.value());
                    } else {
                        tally.check(r.value());
                    }
                }
            }
        }
        long total = System.nanoTime() - start;
        if (answers != null) {
            answers.forEach(tally::check);
        }
        return new RunResult(records, enqueued, total, tally.errors, tally.firstError);
    }

    /** Results carrying an error, and the first of them. */
    private static final class ErrorTally {
        long errors;
        String firstError;

        void check(byte[] value) {
            QueueResult result = JsonEnvelopeCodec.decodeResult(value);
            if (result.isError()) {
                errors++;
                if (firstError == null) {
                    firstError = result.uri() + ": " + result.error();
                }
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        results.close(Duration.ofSeconds(5));
    }
}
