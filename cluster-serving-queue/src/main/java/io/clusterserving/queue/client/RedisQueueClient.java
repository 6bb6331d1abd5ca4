package io.clusterserving.queue.client;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.envelope.RedisEnvelopeCodec;
import io.clusterserving.queue.redis.RedisConnector;
import io.clusterserving.queue.redis.RedisEndpoint;
import io.clusterserving.queue.redis.RedisQueueNames;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Redis client of a Cluster Serving job: {@link InputQueue} and {@link OutputQueue} over the
 * job's request stream and result hashes.
 *
 * <p>Every request it enqueues carries {@code reply_to} = this client's own reply stream
 * ({@code cluster-serving_<job>_reply:<clientId>}), so the job XADDs each result there as well as to the
 * result hash. A background thread reads that stream (XREAD BLOCK, trimming what it has read — it is
 * the only reader) and hands results to waiting {@code predict} calls or keeps them for
 * {@code dequeue}. Closing the client deletes its reply stream. Thread-safe.
 */
public final class RedisQueueClient implements InputQueue, OutputQueue {
    private static final Logger LOG = LoggerFactory.getLogger(RedisQueueClient.class);

    private final RedisConnector connector;
    private final RedisQueueNames names;
    private final StatefulRedisConnection<String, String> commandConnection;
    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisConnection<String, String> replyConnection;
    private final String replyStream;
    private final QueueClientSettings clientSettings;
    private final ResultRouter router;
    private final Thread replyReader;
    private volatile boolean running = true;

    public static RedisQueueClient connect(RedisEndpoint endpoint, String jobName) {
        return connect(endpoint, jobName, QueueClientSettings.DEFAULTS);
    }

    public static RedisQueueClient connect(RedisEndpoint endpoint, String jobName, QueueClientSettings clientSettings) {
        return new RedisQueueClient(new RedisConnector(endpoint), new RedisQueueNames(jobName), clientSettings);
    }

    private RedisQueueClient(RedisConnector connector, RedisQueueNames names, QueueClientSettings clientSettings) {
        if (clientSettings.pollInterval().compareTo(connector.endpoint().commandTimeout()) >= 0) {
            connector.close();
            throw new IllegalArgumentException("pollInterval must be shorter than the Redis command timeout");
        }
        this.connector = connector;
        this.names = names;
        this.clientSettings = clientSettings;
        this.replyStream = names.replyStream(UUID.randomUUID().toString());
        try {
            this.commandConnection = connector.connect();
            this.replyConnection = connector.connect();
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
        this.redis = commandConnection.async();
        this.router = new ResultRouter(clientSettings.resultBufferCapacity(), false, "redis-queue-client-timer");
        this.replyReader = new Thread(this::readReplies, "redis-queue-client-replies");
        this.replyReader.setDaemon(true);
        this.replyReader.start();
    }

    /** The stream this client's results are XADDed to (its requests' {@code reply_to}). */
    public String replyStream() {
        return replyStream;
    }

    public RedisQueueNames names() {
        return names;
    }

    @Override
    public CompletableFuture<String> enqueueAsync(QueueRequest request) {
        try {
            RequestBodies.requireJsonObject(request.data());
        } catch (ServingException e) {
            return CompletableFuture.failedFuture(e);
        }
        QueueRequest routed = request.withReplyTo(replyStream);
        return redis.xadd(names.requestStream(), RedisEnvelopeCodec.requestFields(routed)).toCompletableFuture()
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(unavailable("XADD to stream '"
                        + names.requestStream() + "'", e)));
    }

    @Override
    public CompletableFuture<QueueResult> predictAsync(QueueRequest request, Duration timeout) {
        CompletableFuture<QueueResult> result = router.expect(request.uri(), timeout);
        if (result.isDone()) {
            return result;
        }
        enqueueAsync(request).whenComplete((id, e) -> {
            if (e != null) {
                router.fail(request.uri(), e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<Optional<QueueResult>> queryAsync(String uri) {
        return redis.hgetall(names.resultKey(uri)).toCompletableFuture()
                .thenApply(hash -> Optional.ofNullable(RedisEnvelopeCodec.resultFromHash(uri, hash)))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(unavailable("HGETALL of the result of '"
                        + uri + "'", e)));
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
        try {
            replyReader.join(clientSettings.pollInterval().toMillis() + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        router.close();
        try {
            commandConnection.sync().del(replyStream);
        } catch (RedisException e) {
            LOG.warn("could not delete reply stream '{}' (it expires by itself): {}", replyStream, e.getMessage());
        }
        commandConnection.close();
        replyConnection.close();
        connector.close();
    }

    private void readReplies() {
        RedisCommands<String, String> sync = replyConnection.sync();
        String lastId = "0-0";
        while (running) {
            try {
                List<StreamMessage<String, String>> batch = sync.xread(
                        XReadArgs.Builder.count(256).block(clientSettings.pollInterval()),
                        XReadArgs.StreamOffset.from(replyStream, lastId));
                if (batch == null || batch.isEmpty()) {
                    continue;
                }
                for (StreamMessage<String, String> m : batch) {
                    lastId = m.getId();
                    QueueResult r = m.getBody() == null ? null : RedisEnvelopeCodec.resultFromReply(m.getBody());
                    if (r != null) {
                        router.deliver(r);
                    }
                }
                // This client is the stream's only reader: what it has read can go (the last entry stays
                // because MINID keeps ids >= lastId, which is harmless).
                sync.xtrim(replyStream, XTrimArgs.Builder.minId(lastId));
            } catch (RedisException e) {
                if (!running) {
                    return;
                }
                LOG.warn("reading reply stream '{}' failed, retrying: {}", replyStream, e.getMessage());
                sleepQuietly(clientSettings.pollInterval());
            } catch (RuntimeException e) {
                LOG.error("unexpected failure reading reply stream '{}', retrying", replyStream, e);
                sleepQuietly(clientSettings.pollInterval());
            }
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ServingException unavailable(String what, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ServingException se) {
            return se;
        }
        return new ServingException(StatusCode.UNAVAILABLE, what + " failed: " + cause.getMessage(), cause);
    }
}
