package io.clusterserving.queue.redis;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.envelope.RedisEnvelopeCodec;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes results and acknowledges the request entries they answer, a whole batch per round trip.
 *
 * <p>A batch is one Lua script ({@code write-results.lua}): for every result, HDEL of the other
 * outcome's fields + HSET {@code value} or {@code error} (+ {@code code}) + PEXPIRE on
 * {@code cluster-serving_<job>:<uri>} (and XADD + PEXPIRE on the request's {@code reply_to} stream),
 * then — in {@link #writeAndAck} — XACK of the batch's entries. A failing write aborts the script before
 * the XACK, so an entry is never acknowledged unless its result is in Redis: if the writer or Redis
 * fails, the entry stays pending and is delivered again. One script instead of three to five commands
 * per result keeps a small machine's CPU on inference rather than on Redis protocol work. Values
 * travel as bytes (no per-character UTF-8 encoding). The connection is dedicated, hence one writer per
 * thread (methods are synchronized for safety, not for sharing).
 */
public final class RedisResultWriter implements AutoCloseable {
    /** Result hashes live one hour unless configured otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    private final RedisConnector ownedConnector;
    private static final byte[] SCRIPT = loadScript();

    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final byte[] requestStream;
    private final byte[] groupBytes;
    private final RedisQueueNames names;
    private final String group;
    private final Duration ttl;
    private final Duration timeout;

    /** Opens its own connector; closing the writer closes it. */
    public static RedisResultWriter open(RedisEndpoint endpoint, RedisQueueNames names, String group, Duration ttl) {
        RedisConnector connector = new RedisConnector(endpoint);
        try {
            return new RedisResultWriter(connector, names, group, ttl, true);
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
    }

    /** Uses a connection of a shared connector (which the caller closes). */
    public RedisResultWriter(RedisConnector connector, RedisQueueNames names, String group, Duration ttl) {
        this(connector, names, group, ttl, false);
    }

    private RedisResultWriter(RedisConnector connector, RedisQueueNames names, String group, Duration ttl,
                              boolean ownsConnector) {
        RedisStreamReader.requireName(group, "consumer group");
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw ServingException.invalidArgument("result TTL must be positive, got %s", ttl);
        }
        this.names = names;
        this.group = group;
        this.ttl = ttl;
        this.timeout = connector.endpoint().commandTimeout();
        this.requestStream = bytes(names.requestStream());
        this.groupBytes = bytes(group);
        this.connection = connector.connect(ByteArrayCodec.INSTANCE);
        this.redis = connection.async();
        this.ownedConnector = ownsConnector ? connector : null;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Writes the results with this writer's TTL. */
    public void writeAll(List<QueueResult> results) {
        writeAll(results, ttl);
    }

    /** Writes all results in one round trip; throws UNAVAILABLE if any command failed. */
    public synchronized void writeAll(List<QueueResult> results, Duration resultTtl) {
        if (!results.isEmpty()) {
            run(results, List.of(), resultTtl, "writing " + results.size() + " results");
        }
    }

    /** XACKs the entries (one round trip). Call only after their results were written. */
    public synchronized void ack(Collection<String> entryIds) {
        if (!entryIds.isEmpty()) {
            run(List.of(), entryIds, ttl, "acknowledging " + entryIds.size() + " entries");
        }
    }

    /**
     * XACK then XDEL of the entries in one round trip, keeping the request stream as short as the
     * work still to do. Only for a stream read by this one consumer group: another group would lose
     * entries it has not read yet.
     */
    public synchronized void ackAndDelete(Collection<String> entryIds) {
        if (entryIds.isEmpty()) {
            return;
        }
        String[] ids = entryIds.toArray(String[]::new);
        RedisFuture<Long> acked = redis.xack(requestStream, groupBytes, ids);
        RedisFuture<Long> deleted = redis.xdel(requestStream, ids);
        await(List.of(acked, deleted), "acknowledging and deleting " + ids.length + " entries");
    }

    /**
     * Writes the results and then XACKs the ids, in one script: the ids are acknowledged only if every
     * write succeeded.
     */
    public synchronized void writeAndAck(List<QueueResult> results, Collection<String> entryIds) {
        if (!results.isEmpty() || !entryIds.isEmpty()) {
            run(results, entryIds, ttl, "writing " + results.size() + " results and acknowledging "
                    + entryIds.size() + " entries");
        }
    }

    private void run(List<QueueResult> results, Collection<String> entryIds, Duration resultTtl, String what) {
        List<byte[]> keys = new ArrayList<>(results.size() + 1);
        keys.add(requestStream);
        for (QueueResult r : results) {
            keys.add(bytes(names.resultKey(r.uri())));
        }
        List<byte[]> args = new ArrayList<>(3 + results.size() * 5 + entryIds.size());
        args.add(bytes(Long.toString(resultTtl.toMillis())));
        args.add(groupBytes);
        args.add(bytes(Integer.toString(results.size())));
        for (QueueResult r : results) {
            String[] stale = RedisEnvelopeCodec.staleHashFields(r);
            args.add(count(stale.length));
            for (String field : stale) {
                args.add(bytes(field));
            }
            addPairs(args, RedisEnvelopeCodec.resultHashFields(r));
            if (r.replyTo() == null) {
                args.add(count(0));
            } else {
                keys.add(bytes(r.replyTo()));
                args.add(count(keys.size())); // Lua indexes KEYS from 1
                addPairs(args, RedisEnvelopeCodec.replyFields(r));
            }
        }
        for (String id : entryIds) {
            args.add(bytes(id));
        }
        RedisFuture<Long> reply = redis.eval(SCRIPT, ScriptOutputType.INTEGER, keys.toArray(byte[][]::new),
                args.toArray(byte[][]::new));
        await(List.of(reply), what);
    }

    private static void addPairs(List<byte[]> args, Map<String, String> fields) {
        args.add(count(fields.size()));
        for (Map.Entry<String, String> f : fields.entrySet()) {
            args.add(bytes(f.getKey()));
            args.add(bytes(f.getValue()));
        }
    }

    private static byte[] count(int n) {
        return bytes(Integer.toString(n));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] loadScript() {
        try (InputStream in = RedisResultWriter.class.getResourceAsStream("write-results.lua")) {
            if (in == null) {
                throw new IllegalStateException("write-results.lua is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read write-results.lua", e);
        }
    }

    @Override
    public void close() {
        connection.close();
        if (ownedConnector != null) {
            ownedConnector.close();
        }
    }

    private void await(List<RedisFuture<?>> replies, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int failed = 0;
        Throwable first = null;
        for (RedisFuture<?> reply : replies) {
            try {
                reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                failed++;
                first = first == null ? e.getCause() : first;
            } catch (TimeoutException e) {
                throw new ServingException(StatusCode.UNAVAILABLE,
                        what + " to Redis (job '" + names.jobName() + "') timed out after " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServingException(StatusCode.UNAVAILABLE, what + " was interrupted", e);
            }
        }
        if (failed > 0) {
            throw new ServingException(StatusCode.UNAVAILABLE, what + " to Redis failed: " + failed + " of "
                    + replies.size() + " commands failed, first: " + first.getMessage(), first);
        }
    }
}
