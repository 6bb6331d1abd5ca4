package io.clusterserving.flink.source;

import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.redis.RedisStreamEntry;
import io.clusterserving.queue.redis.RedisStreamReader;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the request stream as the consumer its split names, on the source reader's fetcher thread:
 * its own pending entries first (after a restart), then new ones in batches of up to
 * {@code batchSize} (XREADGROUP COUNT, blocking up to {@code block}); every half {@code claimIdle}
 * also the entries other consumers left pending for longer than {@code claimIdle} (XAUTOCLAIM); every
 * {@code trimInterval} it trims the stream of the entries every consumer group has acknowledged.
 *
 * <p>Nothing is acknowledged here: the entry ids travel with the requests and the result sink XACKs
 * them once their results are written.
 */
final class RedisRequestSplitReader implements SplitReader<QueueRequest, RedisStreamSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRequestSplitReader.class);

    private final RedisSourceSettings settings;
    private RedisStreamSplit split;
    private RedisStreamReader reader;
    private long nextClaim;
    private long nextTrim;

    RedisRequestSplitReader(RedisSourceSettings settings) {
        this.settings = settings;
    }

    /** Opens the consumer of the one split this reader gets (see {@link SplitPerReaderEnumerator}). */
    @Override
    public void handleSplitsChanges(SplitsChange<RedisStreamSplit> change) {
        RedisStreamSplit added = SplitPerReaderEnumerator.onlySplit(change, split);
        if (added.consumer() == null) {
            throw new IllegalArgumentException("split '" + added.splitId() + "' names no consumer; requests are "
                    + "read as a consumer of group '" + settings.group() + "'");
        }
        reader = RedisStreamReader.open(settings.redis().endpoint(), added.stream(), settings.group(),
                added.consumer());
        split = added;
        LOG.info("Redis source: consumer '{}' of group '{}' reads stream '{}'", added.consumer(), settings.group(),
                added.stream());
        nextClaim = System.nanoTime(); // once at start, then every claimIdle/2
        nextTrim = System.nanoTime() + settings.trimIntervalMillis() * 1_000_000L;
    }

    @Override
    public RecordsWithSplitIds<QueueRequest> fetch() {
        List<RedisStreamEntry> entries = reader.readBatch(settings.batchSize(), settings.block());
        if (System.nanoTime() >= nextClaim) {
            // Entries a vanished consumer (e.g. a subtask of a larger earlier run) left pending.
            List<RedisStreamEntry> claimed = reader.claimStale(settings.claimIdle(), settings.batchSize());
            if (!claimed.isEmpty()) {
                entries = new ArrayList<>(entries);
                entries.addAll(claimed);
            }
            nextClaim = System.nanoTime() + settings.claimIdle().toNanos() / 2;
        }
        if (settings.trimIntervalMillis() > 0 && System.nanoTime() >= nextTrim) {
            long trimmed = reader.trimAcknowledged();
            LOG.debug("stream '{}': trimmed {} acknowledged entries", split.stream(), trimmed);
            nextTrim = System.nanoTime() + settings.trimIntervalMillis() * 1_000_000L;
        }
        // Fewer than asked for: the stream is drained for now, so nothing is worth waiting for.
        return new RedisRequestFetch(split.splitId(), entries, entries.size() < settings.batchSize());
    }

    /**
     * Nothing to interrupt: a read blocks for at most {@code block}, and cutting a blocking
     * XREADGROUP short could drop a reply whose entries Redis has already moved to this consumer's
     * pending list.
     */
    @Override
    public void wakeUp() {
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
