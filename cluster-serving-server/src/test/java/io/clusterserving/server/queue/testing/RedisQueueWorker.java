package io.clusterserving.server.queue.testing;

import io.clusterserving.core.service.InferenceService;
import io.clusterserving.protocol.json.ServingJsonFactory;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.redis.RedisEndpoint;
import io.clusterserving.queue.redis.RedisQueueNames;
import io.clusterserving.queue.redis.RedisResultWriter;
import io.clusterserving.queue.redis.RedisStreamEntry;
import io.clusterserving.queue.redis.RedisStreamReader;
import io.clusterserving.queue.worker.QueueScorer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the Cluster Serving job with real inference: reads batches of the request stream as a
 * consumer of group {@code serving}, runs them through the worker step ({@link QueueScorer}) on the given service,
 * writes the results and only then acknowledges the entries.
 */
public final class RedisQueueWorker implements AutoCloseable {
    private final RedisStreamReader reader;
    private final RedisResultWriter writer;
    private final QueueScorer scorer;
    private final Thread thread;
    private final AtomicInteger answered = new AtomicInteger();
    private volatile boolean running = true;
    private volatile Throwable failure;

    public RedisQueueWorker(RedisEndpoint endpoint, String jobName, InferenceService service) {
        RedisQueueNames names = new RedisQueueNames(jobName);
        this.scorer = new QueueScorer(service, null, Duration.ofSeconds(30), null, ServingJsonFactory.create());
        this.reader = RedisStreamReader.open(endpoint, names.requestStream(), RedisQueueNames.DEFAULT_GROUP,
                RedisQueueNames.consumerName("test-worker", 0));
        this.writer = RedisResultWriter.open(endpoint, names, RedisQueueNames.DEFAULT_GROUP, RedisResultWriter.DEFAULT_TTL);
        this.thread = new Thread(this::run, "redis-queue-worker-" + jobName);
        thread.setDaemon(true);
        thread.start();
    }

    public int answered() {
        return answered.get();
    }

    private void run() {
        try {
            while (running) {
                List<RedisStreamEntry> batch = reader.readBatch(32, Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    continue;
                }
                List<QueueRequest> requests = new ArrayList<>(batch.size());
                List<String> ids = new ArrayList<>(batch.size());
                for (RedisStreamEntry e : batch) {
                    requests.add(QueueRequest.received(e.id(), e.request()));
                    ids.add(e.id());
                }
                List<QueueResult> results = scorer.score(requests);
                writer.writeAndAck(results, ids);
                answered.addAndGet(results.size());
            }
        } catch (Throwable t) {
            failure = t;
            if (running) {
                t.printStackTrace();
            }
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
