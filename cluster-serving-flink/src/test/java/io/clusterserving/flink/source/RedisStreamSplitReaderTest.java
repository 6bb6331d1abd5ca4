package io.clusterserving.flink.source;

import io.clusterserving.flink.config.RedisConnection;
import io.clusterserving.flink.testing.RedisProcess;
import io.clusterserving.queue.redis.RedisConnector;
import io.lettuce.core.Consumer;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Redis split reader against a real redis-server, read as Flink's fetcher thread reads it. */
class RedisStreamSplitReaderTest {
    private static final String GROUP = "serving";

    private static RedisProcess redis;
    private static RedisConnector connector;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> cmd;
    private String stream;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.start();
        connector = new RedisConnector(redis.endpoint());
        connection = connector.connect();
        cmd = connection.sync();
    }

    @AfterAll
    static void stopRedis() {
        connection.close();
        connector.close();
        redis.close();
    }

    @BeforeEach
    void nameStream(TestInfo test) {
        stream = "s_" + test.getTestMethod().orElseThrow().getName();
    }

    private RedisSourceSettings settings(int batchSize, long claimIdleMillis) {
        return new RedisSourceSettings(new RedisConnection("redis://127.0.0.1:" + redis.port(), null, null, null), stream, GROUP, stream,
                batchSize, 50, claimIdleMillis, 0);
    }

    private static RedisStreamSplitReader open(RedisSourceSettings settings, int subtask) {
        RedisStreamSplitReader reader = new RedisStreamSplitReader(settings);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(new RedisConsumerSplit(settings.consumerName(subtask)))));
        return reader;
    }

    private List<String> add(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(cmd.xadd(stream, "uri", "u" + i, "data", "{\"instances\": [" + i + "]}"));
        }
        return ids;
    }

    /** Everything one fetch hands over, as the task thread takes it. */
    private static List<ServingRequest> drain(RecordsWithSplitIds<ServingRequest> fetch, String splitId) {
        List<ServingRequest> out = new ArrayList<>();
        String split = fetch.nextSplit();
        if (split != null) {
            assertThat(split).isEqualTo(splitId);
            for (ServingRequest r = fetch.nextRecordFromSplit(); r != null; r = fetch.nextRecordFromSplit()) {
                out.add(r);
            }
            assertThat(fetch.nextSplit()).as("one split per fetch").isNull();
        }
        assertThat(fetch.finishedSplits()).as("a consumer's split never finishes").isEmpty();
        return out;
    }

    private static List<String> ackIds(List<ServingRequest> requests) {
        return requests.stream().map(ServingRequest::ackId).toList();
    }

    @Test
    void readsInBatchesAndMarksTheReadThatDrainsTheStream() {
        RedisSourceSettings settings = settings(3, 60_000);
        try (RedisStreamSplitReader reader = open(settings, 0)) {
            List<String> ids = add(0, 5);
            String split = settings.consumerName(0);
            List<ServingRequest> first = drain(reader.fetch(), split);
            List<ServingRequest> second = drain(reader.fetch(), split);

            assertThat(ackIds(first)).containsExactlyElementsOf(ids.subList(0, 3));
            assertThat(first).noneMatch(ServingRequest::endOfBurst);
            assertThat(first.get(1).uri()).isEqualTo("u1");
            assertThat(first.get(1).data()).isEqualTo("{\"instances\": [1]}");
            assertThat(ackIds(second)).containsExactlyElementsOf(ids.subList(3, 5));
            assertThat(second.get(0).endOfBurst()).isFalse();
            assertThat(second.get(1).endOfBurst()).as("last of a read that drained the stream").isTrue();
            assertThat(drain(reader.fetch(), split)).isEmpty();
            assertThat(cmd.xpending(stream, GROUP).getCount()).as("the source acknowledges nothing").isEqualTo(5);
        }
    }

    @Test
    void anUndecodableEntryBecomesARejectedRequestWithItsAckId() {
        RedisSourceSettings settings = settings(10, 60_000);
        try (RedisStreamSplitReader reader = open(settings, 0)) {
            String id = cmd.xadd(stream, "uri", "no-data");
            List<ServingRequest> read = drain(reader.fetch(), settings.consumerName(0));
            assertThat(read).hasSize(1);
            assertThat(read.get(0).ackId()).isEqualTo(id);
            assertThat(read.get(0).uri()).isEqualTo("no-data");
            assertThat(read.get(0).isRejected()).isTrue();
            assertThat(read.get(0).rejection()).contains("data");
        }
    }

    @Test
    void theSameSubtaskRereadsItsPendingEntriesAfterARestartBeforeNewOnes() {
        RedisSourceSettings settings = settings(4, 60_000);
        List<String> ids = add(0, 3);
        try (RedisStreamSplitReader crashed = open(settings, 1)) {
            assertThat(ackIds(drain(crashed.fetch(), settings.consumerName(1)))).containsExactlyElementsOf(ids);
        }
        List<String> later = add(3, 5);
        try (RedisStreamSplitReader restarted = open(settings, 1)) {
            String split = settings.consumerName(1);
            assertThat(ackIds(drain(restarted.fetch(), split))).as("its own pending entries")
                    .containsExactlyElementsOf(ids);
            assertThat(ackIds(drain(restarted.fetch(), split))).as("then new ones").containsExactlyElementsOf(later);
        }
        assertThat(cmd.xpending(stream, GROUP).getConsumerMessageCount())
                .containsOnlyKeys(settings.consumerName(1)).containsEntry(settings.consumerName(1), 5L);
    }

    @Test
    @SuppressWarnings("unchecked") // Lettuce's xreadgroup takes StreamOffset varargs
    void entriesAVanishedConsumerLeftPendingAreTakenOver() throws InterruptedException {
        RedisSourceSettings settings = settings(10, 1);
        cmd.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        List<String> orphaned = add(0, 3);
        cmd.xreadgroup(Consumer.from(GROUP, "gone-7"), XReadArgs.Builder.count(3),
                XReadArgs.StreamOffset.lastConsumed(stream));
        Thread.sleep(20); // idle for longer than claimIdle (1 ms)
        try (RedisStreamSplitReader reader = open(settings, 0)) {
            assertThat(ackIds(drain(reader.fetch(), settings.consumerName(0)))).containsExactlyElementsOf(orphaned);
        }
        assertThat(cmd.xpending(stream, GROUP).getConsumerMessageCount())
                .containsOnlyKeys(settings.consumerName(0)).containsEntry(settings.consumerName(0), 3L);
    }

    @Test
    void aSecondConsumerForOneReaderIsRefusedNamingBoth() {
        RedisSourceSettings settings = settings(10, 60_000);
        try (RedisStreamSplitReader reader = open(settings, 0)) {
            assertThatThrownBy(() -> reader.handleSplitsChanges(
                    new SplitsAddition<>(List.of(new RedisConsumerSplit(settings.consumerName(1))))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(settings.consumerName(0)).hasMessageContaining(settings.consumerName(1));
        }
    }
}
