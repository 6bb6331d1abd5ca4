package io.clusterserving.flink.source;

import io.clusterserving.queue.envelope.QueueRequest;
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

/** The Redis request split reader against a real redis-server, read as Flink's fetcher thread reads it. */
class RedisRequestSplitReaderTest {
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

    private static RedisRequestSplitReader open(RedisSourceSettings settings, int subtask) {
        RedisRequestSplitReader reader = new RedisRequestSplitReader(settings);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split(settings, subtask))));
        return reader;
    }

    private static RedisStreamSplit split(RedisSourceSettings settings, int subtask) {
        return RedisStreamSplit.asConsumer(settings.stream(), settings.consumerName(subtask));
    }

    private List<String> add(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(cmd.xadd(stream, "uri", "u" + i, "data", "{\"instances\": [" + i + "]}"));
        }
        return ids;
    }

    /** Everything one fetch hands over, as the task thread takes it. */
    private static List<QueueRequest> drain(RecordsWithSplitIds<QueueRequest> fetch, String splitId) {
        List<QueueRequest> out = new ArrayList<>();
        String split = fetch.nextSplit();
        if (split != null) {
            assertThat(split).isEqualTo(splitId);
            for (QueueRequest r = fetch.nextRecordFromSplit(); r != null; r = fetch.nextRecordFromSplit()) {
                out.add(r);
            }
            assertThat(fetch.nextSplit()).as("one split per fetch").isNull();
        }
        assertThat(fetch.finishedSplits()).as("a consumer's split never finishes").isEmpty();
        return out;
    }

    private static List<String> ackIds(List<QueueRequest> requests) {
        return requests.stream().map(QueueRequest::ackId).toList();
    }

    @Test
    void readsInBatchesAndMarksTheReadThatDrainsTheStream() {
        RedisSourceSettings settings = settings(3, 60_000);
        try (RedisRequestSplitReader reader = open(settings, 0)) {
            List<String> ids = add(0, 5);
            String split = split(settings, 0).splitId();
            List<QueueRequest> first = drain(reader.fetch(), split);
            List<QueueRequest> second = drain(reader.fetch(), split);

            assertThat(ackIds(first)).containsExactlyElementsOf(ids.subList(0, 3));
            assertThat(first).noneMatch(QueueRequest::endOfBurst);
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
        try (RedisRequestSplitReader reader = open(settings, 0)) {
            String id = cmd.xadd(stream, "uri", "no-data");
            List<QueueRequest> read = drain(reader.fetch(), split(settings, 0).splitId());
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
        try (RedisRequestSplitReader crashed = open(settings, 1)) {
            assertThat(ackIds(drain(crashed.fetch(), split(settings, 1).splitId()))).containsExactlyElementsOf(ids);
        }
        List<String> later = add(3, 5);
        try (RedisRequestSplitReader restarted = open(settings, 1)) {
            String split = split(settings, 1).splitId();
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
        try (RedisRequestSplitReader reader = open(settings, 0)) {
            assertThat(ackIds(drain(reader.fetch(), split(settings, 0).splitId()))).containsExactlyElementsOf(orphaned);
        }
        assertThat(cmd.xpending(stream, GROUP).getConsumerMessageCount())
                .containsOnlyKeys(settings.consumerName(0)).containsEntry(settings.consumerName(0), 3L);
    }

    @Test
    void aSecondSplitForOneReaderIsRefusedNamingBoth() {
        RedisSourceSettings settings = settings(10, 60_000);
        try (RedisRequestSplitReader reader = open(settings, 0)) {
            assertThatThrownBy(() -> reader.handleSplitsChanges(new SplitsAddition<>(List.of(split(settings, 1)))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("one split, once")
                    .hasMessageContaining(split(settings, 0).splitId()).hasMessageContaining(split(settings, 1).splitId());
        }
    }

    @Test
    void aSplitWithoutAConsumerIsRefused() {
        try (RedisRequestSplitReader reader = new RedisRequestSplitReader(settings(10, 60_000))) {
            assertThatThrownBy(() -> reader.handleSplitsChanges(
                    new SplitsAddition<>(List.of(RedisStreamSplit.whole(stream)))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("names no consumer").hasMessageContaining(GROUP);
        }
    }

    @Test
    void splitsSurviveTheirSerializer() throws Exception {
        RedisStreamSplit.Serializer serializer = new RedisStreamSplit.Serializer();
        for (RedisStreamSplit split : List.of(RedisStreamSplit.asConsumer("jobs", "jobs-3"),
                RedisStreamSplit.whole("models"))) {
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split))).isEqualTo(split);
        }
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[0])).hasMessageContaining("version 2");
    }
}
