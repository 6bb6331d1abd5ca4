package io.clusterserving.server.queue.testing;

import io.clusterserving.core.service.InferenceService;
import io.clusterserving.protocol.json.ServingJsonFactory;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.kafka.KafkaQueueSettings;
import io.clusterserving.queue.kafka.KafkaRequestReader;
import io.clusterserving.queue.kafka.KafkaRequestRecord;
import io.clusterserving.queue.kafka.KafkaResultWriter;
import io.clusterserving.queue.worker.QueueScorer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka stand-in for the Cluster Serving job with real inference: polls the input topic as consumer
 * group {@code groupId}, runs each batch through the worker step ({@link QueueScorer}), publishes the results on
 * the output topic and only then commits.
 */
public final class KafkaQueueWorker implements AutoCloseable {
    private final KafkaRequestReader reader;
    private final KafkaResultWriter writer;
    private final QueueScorer scorer;
    private final Thread thread;
    private volatile boolean running = true;

    public KafkaQueueWorker(KafkaQueueSettings settings, String groupId, InferenceService service) {
        this.scorer = new QueueScorer(service, null, Duration.ofSeconds(30), null, ServingJsonFactory.create());
        this.reader = new KafkaRequestReader(settings, groupId);
        this.writer = new KafkaResultWriter(settings);
        this.thread = new Thread(this::run, "kafka-queue-worker");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            List<KafkaRequestRecord> batch = reader.poll(Duration.ofMillis(100));
            if (batch.isEmpty()) {
                continue;
            }
            List<QueueRequest> requests = new ArrayList<>(batch.size());
            for (KafkaRequestRecord r : batch) {
                requests.add(QueueRequest.received(null, r.request()));
            }
            List<QueueResult> results = scorer.score(requests);
            writer.writeAll(results);
            reader.commit();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
        reader.close();
        writer.close();
    }
}
