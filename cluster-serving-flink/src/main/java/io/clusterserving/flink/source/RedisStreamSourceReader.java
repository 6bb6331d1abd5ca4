package io.clusterserving.flink.source;

import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.redis.RedisStreamEntry;
import io.clusterserving.queue.redis.RedisStreamReader;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One subtask's reader of the request stream, as consumer {@code <jobName>-<subtask>}: its own
 * pending entries first (after a restart), then new ones in batches, plus, every half
 * {@code claimIdle}, entries other consumers left pending for longer than {@code claimIdle}; every
 * {@code trimInterval} it trims the stream of the entries every consumer group has acknowledged.
 */
final class RedisStreamSourceReader extends FetchingSourceReader<QueueRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamSourceReader.class);

    private final RedisSourceSettings settings;
    private final String consumerName;
    private final Counter entriesRead;

    RedisStreamSourceReader(RedisSourceSettings settings, int subtaskIndex, SourceReaderMetricGroup metrics) {
        super(settings.consumerName(subtaskIndex));
        this.settings = settings;
        this.consumerName = settings.consumerName(subtaskIndex);
        this.entriesRead = metrics.getIOMetricGroup().getNumRecordsInCounter();
    }

    @Override
    protected void fetch() throws InterruptedException {
        try (RedisStreamReader reader = RedisStreamReader.open(settings.redis().endpoint(), settings.stream(),
                settings.group(), consumerName)) {
            LOG.info("Redis source: consumer '{}' of group '{}' reads stream '{}'", consumerName, settings.group(),
                    settings.stream());
            long nextClaim = System.nanoTime(); // once at start, then every claimIdle/2
            long nextTrim = System.nanoTime() + settings.trimIntervalMillis() * 1_000_000L;
            while (running()) {
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
                if (!entries.isEmpty()) {
                    // Fewer than asked for: the stream is drained for now, so nothing is worth waiting for.
                    hand(convert(entries, entries.size() < settings.batchSize()));
                }
                if (settings.trimIntervalMillis() > 0 && System.nanoTime() >= nextTrim) {
                    long trimmed = reader.trimAcknowledged();
                    LOG.debug("stream '{}': trimmed {} acknowledged entries", settings.stream(), trimmed);
                    nextTrim = System.nanoTime() + settings.trimIntervalMillis() * 1_000_000L;
                }
            }
        }
    }

    @Override
    protected void emitted(List<QueueRequest> batch) {
        entriesRead.inc(batch.size());
    }

    private static List<QueueRequest> convert(List<RedisStreamEntry> entries, boolean drained) {
        List<QueueRequest> out = new ArrayList<>(entries.size());
        for (RedisStreamEntry e : entries) {
            out.add(QueueRequest.received(e.id(), e.request()));
        }
        if (drained) {
            out.set(out.size() - 1, out.get(out.size() - 1).endingBurst());
        }
        return out;
    }
}
