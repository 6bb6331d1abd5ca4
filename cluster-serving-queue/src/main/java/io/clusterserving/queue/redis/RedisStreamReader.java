package io.clusterserving.queue.redis;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.envelope.DecodedRequest;
import io.clusterserving.queue.envelope.RedisEnvelopeCodec;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the request stream as one named consumer of a consumer group, in batches.
 *
 * <p>Delivery is at-least-once: nothing is acknowledged here; {@link RedisResultWriter} XACKs an
 * entry only after its result is written. After a restart with the same consumer name the reader
 * first re-reads its own pending entries (XREADGROUP from id 0) until they are drained, then reads
 * new ones ({@code >}). Entries left pending by a consumer that is gone for good are taken over with
 * {@link #claimStale}. One instance per thread (its connection blocks during reads); create it in a
 * Flink operator's {@code open()} and close it in {@code close()}.
 */
public final class RedisStreamReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamReader.class);

    private final RedisConnector ownedConnector;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final String stream;
    private final String group;
    private final Consumer<String> consumer;
    private final Duration commandTimeout;
    private final AtomicLong rejected = new AtomicLong();
    private String pendingCursor = "0"; // null once this consumer's own pending entries are drained
    private String claimCursor = "0-0";

    /** Opens its own connector; closing the reader closes it. */
    public static RedisStreamReader open(RedisEndpoint endpoint, String stream, String group, String consumerName) {
        RedisConnector connector = new RedisConnector(endpoint);
        try {
            return new RedisStreamReader(connector, stream, group, consumerName, true);
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
    }

    /** Uses a connection of a shared connector (which the caller closes). */
    public RedisStreamReader(RedisConnector connector, String stream, String group, String consumerName) {
        this(connector, stream, group, consumerName, false);
    }

    private RedisStreamReader(RedisConnector connector, String stream, String group, String consumerName,
                              boolean ownsConnector) {
        requireName(stream, "stream");
        requireName(group, "consumer group");
        requireName(consumerName, "consumer name");
        this.stream = stream;
        this.group = group;
        this.consumer = Consumer.from(group, consumerName);
        this.commandTimeout = connector.endpoint().commandTimeout();
        this.connection = connector.connect();
        this.redis = connection.sync();
        this.ownedConnector = ownsConnector ? connector : null;
        createGroupIfAbsent();
    }

    public String stream() {
        return stream;
    }

    public String group() {
        return group;
    }

    public String consumerName() {
        return consumer.getName();
    }

    /** Entries that decoded to an error result (no uri, no data, bad version) since this reader opened. */
    public long rejectedCount() {
        return rejected.get();
    }

    /** True once this consumer's pending entries from an earlier run have all been handed out again. */
    public boolean pendingDrained() {
        return pendingCursor == null;
    }

    /**
     * Makes the next reads hand out this consumer's pending entries again (from the oldest), e.g. after
     * a batch's results could not be written and the caller wants to retry without restarting.
     */
    public void rereadPending() {
        pendingCursor = "0";
    }

    /**
     * Up to {@code count} entries in one round trip. While own pending entries remain, returns those
     * (without blocking); afterwards waits up to {@code block} for new ones ({@code block} zero or
     * negative: do not wait). Returns an empty list when nothing arrived in time.
     */
    public List<RedisStreamEntry> readBatch(int count, Duration block) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        if (block.compareTo(commandTimeout) >= 0) {
            throw new IllegalArgumentException("block " + block + " must be shorter than the command timeout "
                    + commandTimeout);
        }
        try {
            if (pendingCursor != null) {
                List<StreamMessage<String, String>> pending = redis.xreadgroup(consumer,
                        XReadArgs.Builder.count(count), XReadArgs.StreamOffset.from(stream, pendingCursor));
                if (pending != null && !pending.isEmpty()) {
                    pendingCursor = pending.get(pending.size() - 1).getId();
                    LOG.info("stream '{}': consumer '{}' re-reads {} pending entries", stream, consumer.getName(),
                            pending.size());
                    return decode(pending);
                }
                pendingCursor = null;
            }
            XReadArgs args = XReadArgs.Builder.count(count);
            if (!block.isNegative() && !block.isZero()) {
                args.block(block);
            }
            List<StreamMessage<String, String>> fresh = redis.xreadgroup(consumer, args,
                    XReadArgs.StreamOffset.lastConsumed(stream));
            return fresh == null ? List.of() : decode(fresh);
        } catch (RedisException e) {
            throw unavailable("XREADGROUP", e);
        }
    }

    /**
     * Takes over up to {@code count} entries that have been pending for at least {@code minIdle}
     * in any consumer of the group (XAUTOCLAIM), e.g. those of a subtask that no longer exists
     * after rescaling. Successive calls walk the pending list with a cursor and wrap around.
     */
    public List<RedisStreamEntry> claimStale(Duration minIdle, int count) {
        try {
            ClaimedMessages<String, String> claimed = redis.xautoclaim(stream,
                    XAutoClaimArgs.Builder.xautoclaim(consumer, minIdle, claimCursor).count(count));
            claimCursor = claimed.getId() == null ? "0-0" : claimed.getId();
            List<StreamMessage<String, String>> messages = claimed.getMessages();
            if (!messages.isEmpty()) {
                LOG.info("stream '{}': consumer '{}' claimed {} entries idle for at least {}", stream,
                        consumer.getName(), messages.size(), minIdle);
            }
            return decode(messages);
        } catch (RedisException e) {
            throw unavailable("XAUTOCLAIM", e);
        }
    }

    /**
     * Deletes the entries that every consumer group of the stream has been handed and acknowledged
     * (XTRIM MINID to the oldest entry some group still needs: its oldest pending entry, else its
     * last-delivered one). Without it the stream keeps every request ever sent. Entries not yet
     * delivered to a group are never touched; readers outside consumer groups (plain XREAD) are not
     * known to Redis and not waited for.
     *
     * @return the number of entries deleted
     */
    public long trimAcknowledged() {
        try {
            String keepFrom = null;
            for (ConsumerGroupInfo group : ConsumerGroupInfo.of(redis, stream)) {
                if (group.name() == null || group.lastDeliveredId() == null) {
                    return 0; // a reply shape we do not know: trim nothing rather than guess
                }
                String needed = group.lastDeliveredId();
                if (group.pending() > 0) {
                    String oldestPending = redis.xpending(stream, group.name()).getMessageIds().getLower().getValue();
                    if (oldestPending != null && compareIds(oldestPending, needed) < 0) {
                        needed = oldestPending;
                    }
                }
                if (keepFrom == null || compareIds(needed, keepFrom) < 0) {
                    keepFrom = needed;
                }
            }
            if (keepFrom == null || keepFrom.equals("0-0")) {
                return 0;
            }
            return redis.xtrim(stream, XTrimArgs.Builder.minId(keepFrom));
        } catch (RedisException e) {
            throw unavailable("XTRIM", e);
        }
    }

    /** Orders stream ids {@code ms-seq} numerically. */
    public static int compareIds(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return c != 0 ? c : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }

    /** Number of entries delivered to the group but not yet acknowledged (all consumers). */
    public long pendingCount() {
        try {
            return redis.xpending(stream, group).getCount();
        } catch (RedisException e) {
            throw unavailable("XPENDING", e);
        }
    }

    @Override
    public void close() {
        connection.close();
        if (ownedConnector != null) {
            ownedConnector.close();
        }
    }

    private List<RedisStreamEntry> decode(List<StreamMessage<String, String>> messages) {
        List<RedisStreamEntry> out = new ArrayList<>(messages.size());
        List<String> vanished = new ArrayList<>();
        for (StreamMessage<String, String> m : messages) {
            Map<String, String> body = m.getBody();
            if (body == null || body.isEmpty()) {
                // XDEL'd while pending: nothing left to answer, so only release it from the pending list.
                vanished.add(m.getId());
                continue;
            }
            DecodedRequest decoded = RedisEnvelopeCodec.decodeRequest(m.getId(), body);
            if (decoded instanceof DecodedRequest.Rejected r) {
                rejected.incrementAndGet();
                LOG.warn("stream '{}': rejected entry {}: {}", stream, m.getId(), r.result().error());
            }
            out.add(new RedisStreamEntry(m.getId(), decoded));
        }
        if (!vanished.isEmpty()) {
            LOG.warn("stream '{}': {} pending entries were deleted before being answered; acknowledging them",
                    stream, vanished.size());
            redis.xack(stream, group, vanished.toArray(String[]::new));
        }
        return out;
    }

    private void createGroupIfAbsent() {
        try {
            // From id 0, so requests XADDed before the job first started are served too.
            redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), group, XGroupCreateArgs.Builder.mkstream());
            LOG.info("stream '{}': created consumer group '{}'", stream, group);
        } catch (RedisBusyException e) {
            // BUSYGROUP: the group exists already, which is the normal case after the first start.
        } catch (RedisException e) {
            connection.close();
            throw unavailable("XGROUP CREATE", e);
        }
    }

    private ServingException unavailable(String command, RedisException e) {
        return new ServingException(StatusCode.UNAVAILABLE,
                command + " on stream '" + stream + "' group '" + group + "' failed: " + e.getMessage(), e);
    }

    static void requireName(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw ServingException.invalidArgument("%s is missing", what);
        }
    }
}
