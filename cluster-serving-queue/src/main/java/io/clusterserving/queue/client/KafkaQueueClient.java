package io.clusterserving.queue.client;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.envelope.JsonEnvelopeCodec;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.kafka.KafkaQueueSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Kafka client of a Cluster Serving job: requests go to the input topic (key = uri, value =
 * {@code {"uri", "model"?, "version"?, "data"}}); a background thread reads every partition of the
 * output topic from the end as it was when the client connected (no consumer group, nothing
 * committed) and hands results to waiting {@code predict} calls by uri, or keeps them for
 * {@code dequeue} and, among the latest {@code resultBufferCapacity}, for {@code query}. Thread-safe.
 */
public final class KafkaQueueClient implements InputQueue, OutputQueue {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaQueueClient.class);

    private final KafkaQueueSettings settings;
    private final QueueClientSettings clientSettings;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final ResultRouter router;
    private final Thread resultReader;
    private volatile boolean running = true;

    public static KafkaQueueClient connect(KafkaQueueSettings settings) {
        return connect(settings, QueueClientSettings.DEFAULTS);
    }

    /**
     * Assigns {@code consumer} every partition of the output topic (no consumer group: results are
     * read by uri, not shared out), and returns them.
     *
     * @throws ServingException UNAVAILABLE when the output topic does not exist
     */
    public static List<TopicPartition> assignOutputTopic(KafkaConsumer<?, ?> consumer, KafkaQueueSettings settings) {
        List<PartitionInfo> partitions = consumer.partitionsFor(settings.outputTopic(), Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
            throw new ServingException(StatusCode.UNAVAILABLE,
                    "Kafka output topic '" + settings.outputTopic() + "' does not exist");
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(assigned);
        return assigned;
    }

    /** Fails with UNAVAILABLE when the output topic does not exist or the brokers cannot be reached. */
    public static KafkaQueueClient connect(KafkaQueueSettings settings, QueueClientSettings clientSettings) {
        return new KafkaQueueClient(settings, clientSettings);
    }

    private KafkaQueueClient(KafkaQueueSettings settings, QueueClientSettings clientSettings) {
        this.settings = settings;
        this.clientSettings = clientSettings;
        this.consumer = new KafkaConsumer<>(settings.consumerProperties(null));
        try {
            List<TopicPartition> assigned = assignOutputTopic(consumer, settings);
            consumer.seekToEnd(assigned);
            // Resolve the end offsets now, before any request is sent, so no result of ours can slip by.
            assigned.forEach(consumer::position);
        } catch (KafkaException e) {
            consumer.close(Duration.ZERO);
            throw new ServingException(StatusCode.UNAVAILABLE, "cannot read Kafka output topic '"
                    + settings.outputTopic() + "' at " + settings.bootstrapServers() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        this.producer = new KafkaProducer<>(settings.producerProperties());
        this.router = new ResultRouter(clientSettings.resultBufferCapacity(), true, "kafka-queue-client-timer");
        this.resultReader = new Thread(this::readResults, "kafka-queue-client-results");
        this.resultReader.setDaemon(true);
        this.resultReader.start();
    }

    @Override
    public CompletableFuture<String> enqueueAsync(QueueRequest request) {
        CompletableFuture<String> sent = new CompletableFuture<>();
        try {
            RequestBodies.requireJsonObject(request.data());
            producer.send(new ProducerRecord<>(settings.inputTopic(), request.uri(),
                    JsonEnvelopeCodec.encodeRequest(request)), (meta, e) -> {
                if (e != null) {
                    sent.completeExceptionally(new ServingException(StatusCode.UNAVAILABLE, "sending to Kafka topic '"
                            + settings.inputTopic() + "' failed: " + e.getMessage(), e));
                } else {
                    sent.complete(meta.topic() + "-" + meta.partition() + "@" + meta.offset());
                }
            });
        } catch (ServingException e) {
            sent.completeExceptionally(e);
        } catch (KafkaException e) {
            sent.completeExceptionally(new ServingException(StatusCode.UNAVAILABLE, "sending to Kafka topic '"
                    + settings.inputTopic() + "' failed: " + e.getMessage(), e));
        }
        return sent;
    }

    @Override
    public CompletableFuture<QueueResult> predictAsync(QueueRequest request, Duration timeout) {
        CompletableFuture<QueueResult> result = router.expect(request.uri(), timeout);
        if (result.isDone()) {
            return result;
        }
        enqueueAsync(request).whenComplete((id, e) -> {
            if (e != null) {
                router.fail(request.uri(), e);
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<Optional<QueueResult>> queryAsync(String uri) {
        return CompletableFuture.completedFuture(Optional.ofNullable(router.recent(uri)));
    }

    @Override
    public List<QueueResult> dequeue() {
        return router.drain();
    }

    @Override
    public CompletableFuture<List<QueueResult>> dequeueAsync(Duration wait) {
        return router.drain(wait);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            resultReader.join(clientSettings.pollInterval().toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        router.close();
        producer.close(Duration.ofSeconds(5));
    }

    private void readResults() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(clientSettings.pollInterval())) {
                        deliver(r);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // Transient broker trouble: the consumer keeps its position, so poll again after a pause.
                    LOG.warn("polling Kafka output topic '{}' failed, retrying: {}", settings.outputTopic(),
                            e.getMessage());
                    sleepQuietly(clientSettings.pollInterval());
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll up.
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> r) {
        try {
            router.deliver(JsonEnvelopeCodec.decodeResult(r.value()));
        } catch (IllegalArgumentException e) {
            LOG.warn("skipping malformed result at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
