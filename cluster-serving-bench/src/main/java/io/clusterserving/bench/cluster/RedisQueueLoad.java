package io.clusterserving.bench.cluster;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.redis.ConsumerGroupInfo;
import io.clusterserving.queue.redis.RedisConnector;
import io.clusterserving.queue.redis.RedisEndpoint;
import io.clusterserving.queue.redis.RedisQueueNames;
import io.clusterserving.queue.redis.RedisStreamReader;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Redis Streams, in the contract's plain form ({@code XADD <job> * uri <id> data <json>}, no
 * {@code reply_to}), sent pipelined over a raw RESP connection ({@link RedisXaddPipeline}), so the
 * load generator costs the machine it shares with the job as little as it can. The job acknowledges an entry only after its result hash is
 * written, so "the group has been handed the last entry and nothing is pending" means every result
 * is in Redis — which {@code XINFO GROUPS} tells without reading a single result.
 */
public final class RedisQueueLoad implements QueueLoad {
    /** Entries checked for errors per pipelined round of HGETs. */
    private static final int CHECK_CHUNK = 10_000;

    private final RedisConnector connector;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisXaddPipeline pipeline;
    private final RedisQueueNames names;
    private final String group;
    private final String model;

    /** @param awaitJob how long to wait for the job's consumer group (a job just started creates it soon) */
    public RedisQueueLoad(RedisEndpoint endpoint, String jobName, String model, Duration awaitJob) throws InterruptedException {
        this.connector = new RedisConnector(endpoint);
        this.model = model;
        this.names = new RedisQueueNames(jobName);
        this.group = RedisQueueNames.DEFAULT_GROUP;
        try {
            this.connection = connector.connect();
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
        try {
            this.pipeline = RedisXaddPipeline.open(endpoint, endpoint.commandTimeout());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        long deadline = System.nanoTime() + awaitJob.toNanos();
        while (groupState() == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (groupState() == null) {
            close();
            throw new ServingException(StatusCode.FAILED_PRECONDITION, "stream '" + names.requestStream()
                    + "' at " + endpoint.redacted() + " has no consumer group '" + group
                    + "' after " + awaitJob.toMillis() + " ms: start the job first (cluster start --config ...)");
        }
    }

    @Override
    public String describe() {
        return "Redis " + connector.endpoint().redacted() + ", stream '" + names.requestStream() + "'";
    }

    @Override
    public RunResult run(String prefix, int records, String body, Duration timeout, ResultCheck check)
            throws InterruptedException {
        // Either way the result hashes are read after the clock stops, a chunk at a time: none are kept.
        long start = System.nanoTime();
        String lastId = pipeline.xadd(names.requestStream(), prefix, records, body, model, timeout);
        long enqueued = System.nanoTime() - start;
        long deadline = start + timeout.toNanos();
        while (true) {
            ConsumerGroupInfo state = groupState();
            if (state != null && state.pending() == 0 && RedisStreamReader.compareIds(state.lastDeliveredId(), lastId) >= 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new ServingException(StatusCode.DEADLINE_EXCEEDED, "after " + timeout.toSeconds()
                        + " s the job had not answered every entry up to " + lastId + " (group '" + group + "': "
                        + state + ")");
            }
            Thread.sleep(2);
        }
        long total = System.nanoTime() - start;
        return countErrors(prefix, records, enqueued, total, timeout);
    }

    private RunResult countErrors(String prefix, int records, long enqueued, long total, Duration timeout)
            throws InterruptedException {
        RedisAsyncCommands<String, String> redis = connection.async();
        long errors = 0;
        String firstError = null;
        for (int from = 0; from < records; from += CHECK_CHUNK) {
            int to = Math.min(records, from + CHECK_CHUNK);
            List<RedisFuture<List<KeyValue<String, String>>>> replies = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                replies.add(redis.hmget(names.resultKey(prefix + i), "value", "error"));
            }
            awaitAll(replies, timeout);
            for (int i = from; i < to; i++) {
                List<KeyValue<String, String>> fields = join(replies.get(i - from));
                String error = fields.get(1).getValueOrElse(null);
                if (error != null || !fields.get(0).hasValue()) {
                    errors++;
                    if (firstError == null) {
                        firstError = prefix + i + ": " + (error != null ? error : "no result hash");
                    }
                }
            }
        }
        return new RunResult(records, enqueued, total, errors, firstError);
    }

    /** The group's state, or null when the stream or the group does not exist. */
    private ConsumerGroupInfo groupState() {
        try {
            return ConsumerGroupInfo.of(connection.sync(), names.requestStream()).stream()
                    .filter(g -> group.equals(g.name()) && g.lastDeliveredId() != null).findFirst().orElse(null);
        } catch (RedisCommandExecutionException e) {
            return null; // ERR no such key
        }
    }

    /** Waits for every reply; returns the last one's value. */
    private static <T> T awaitAll(List<RedisFuture<T>> futures, Duration timeout) {
        if (!LettuceFutures.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS, futures.toArray(new RedisFuture[0]))) {
            throw new ServingException(StatusCode.DEADLINE_EXCEEDED, "Redis did not answer "
                    + futures.size() + " pipelined commands within " + timeout.toSeconds() + " s");
        }
        return futures.isEmpty() ? null : join(futures.get(futures.size() - 1));
    }

    private static <T> T join(RedisFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new ServingException(StatusCode.UNAVAILABLE, "Redis command failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServingException(StatusCode.CANCELLED, "interrupted", e);
        }
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (connection != null) {
            connection.close();
        }
        connector.close();
    }
}
