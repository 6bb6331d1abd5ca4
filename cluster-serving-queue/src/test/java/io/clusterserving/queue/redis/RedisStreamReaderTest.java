package io.clusterserving.queue.redis;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.envelope.DecodedRequest;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.testing.RedisServer;
import io.clusterserving.queue.testing.RedisServerExtension;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(RedisServerExtension.class)
class RedisStreamReaderTest {
    private static final String GROUP = RedisQueueNames.DEFAULT_GROUP;
    private static final Duration NO_BLOCK = Duration.ZERO;

    private RedisServer server;
    private RedisConnector connector;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;
    private RedisQueueNames names;

    @BeforeEach
    void connect(RedisServer server, TestInfo test) {
        this.server = server;
        connector = new RedisConnector(server.endpoint());
        connection = connector.connect();
        redis = connection.sync();
        names = new RedisQueueNames("job-" + test.getTestMethod().orElseThrow().getName());
    }

    @AfterEach
    void disconnect() {
        connection.close();
        connector.close();
    }

    private static QueueRequest accepted(RedisStreamEntry entry) {
        return ((DecodedRequest.Accepted) entry.request()).request();
    }

    private String xadd(String uri, String data) {
        return redis.xadd(names.requestStream(), "uri", uri, "data", data);
    }

    private List<String> ids(List<RedisStreamEntry> entries) {
        return entries.stream().map(RedisStreamEntry::id).toList();
    }

    @Test
    void readsInBatchesOfTheRequestedSize() {
        try (RedisStreamReader reader = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-0")) {
            for (int i = 0; i < 5; i++) {
                xadd("u" + i, "{\"instances\":[" + i + "]}");
            }
            List<RedisStreamEntry> first = reader.readBatch(3, Duration.ofMillis(100));
            List<RedisStreamEntry> second = reader.readBatch(3, Duration.ofMillis(100));
            assertThat(first).hasSize(3);
            assertThat(second).hasSize(2);
            assertThat(second.get(1).request()).isEqualTo(new DecodedRequest.Accepted(
                    QueueRequest.of("u4", "{\"instances\":[4]}")));
            assertThat(reader.readBatch(3, Duration.ofMillis(50))).isEmpty();
        }
    }

    @Test
    void entriesAddedBeforeTheGroupExistedAreServed() {
        xadd("early", "{}");
        try (RedisStreamReader reader = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-0")) {
            assertThat(reader.readBatch(10, NO_BLOCK)).extracting(e -> e.request().uri()).containsExactly("early");
        }
    }

    @Test
    void nothingIsAcknowledgedBeforeItsResultIsWritten() {
        try (RedisStreamReader reader = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-0");
             RedisResultWriter writer = new RedisResultWriter(connector, names, GROUP, Duration.ofMinutes(1))) {
            xadd("a", "{}");
            xadd("b", "{}");
            List<RedisStreamEntry> batch = reader.readBatch(10, NO_BLOCK);
            assertThat(reader.pendingCount()).isEqualTo(2);

            List<QueueResult> results = batch.stream()
                    .map(e -> QueueResult.success(accepted(e), "{\"predictions\":[1]}"))
                    .toList();
            writer.writeAll(results);
            assertThat(reader.pendingCount()).as("written but not yet acknowledged").isEqualTo(2);
            assertThat(redis.hget(names.resultKey("a"), "value")).isEqualTo("{\"predictions\":[1]}");

            writer.ack(ids(batch));
            assertThat(reader.pendingCount()).isZero();
        }
    }

    @Test
    void trimmingDeletesOnlyWhatEveryGroupHasAcknowledged() {
        try (RedisStreamReader serving = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-0");
             RedisStreamReader audit = new RedisStreamReader(connector, names.requestStream(), "audit", "a-0");
             RedisResultWriter writer = new RedisResultWriter(connector, names, GROUP, Duration.ofMinutes(1))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(xadd("t" + i, "{}"));
            }
            assertThat(serving.trimAcknowledged()).as("nothing delivered yet").isZero();
            serving.readBatch(10, NO_BLOCK);
            writer.ack(ids.subList(0, 6));
            audit.readBatch(4, NO_BLOCK);
            redis.xack(names.requestStream(), "audit", ids.get(0), ids.get(1));

            // serving still needs t6..t9 (pending), audit t2, t3 (pending) and t4.. (not delivered).
            assertThat(serving.trimAcknowledged()).isEqualTo(2);
            assertThat(redis.xrange(names.requestStream(), Range.create("-", "+")).get(0).getId()).isEqualTo(ids.get(2));

            redis.xack(names.requestStream(), "audit", ids.get(2), ids.get(3));
            // audit has nothing pending: it needs what follows its last delivered entry, t3.
            assertThat(audit.trimAcknowledged()).isEqualTo(1);
            assertThat(redis.xlen(names.requestStream())).isEqualTo(7);
            assertThat(serving.trimAcknowledged()).as("nothing more to trim").isZero();
        }
    }

    @Test
    void aBatchWritesValuesErrorsAndCodesAndThenAcknowledges() {
        try (RedisStreamReader reader = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-0");
             RedisResultWriter writer = new RedisResultWriter(connector, names, GROUP, Duration.ofMinutes(1))) {
            xadd("ok", "{}");
            xadd("bad", "{}");
            List<RedisStreamEntry> batch = reader.readBatch(10, NO_BLOCK);
            QueueRequest ok = accepted(batch.get(0));
            QueueRequest bad = accepted(batch.get(1));
            // Non-ASCII text must arrive byte for byte (values travel as UTF-8 bytes).
            writer.writeAndAck(List.of(QueueResult.success(ok, "{\"predictions\":[\"grün €\"]}"),
                    QueueResult.failure(bad, StatusCode.INVALID_ARGUMENT, "input 'x' is ragged at [1]")), ids(batch));

            assertThat(redis.hgetall(names.resultKey("ok"))).containsExactly(
                    Map.entry("value", "{\"predictions\":[\"grün €\"]}"));
            assertThat(redis.hgetall(names.resultKey("bad"))).containsOnly(
                    Map.entry("error", "input 'x' is ragged at [1]"), Map.entry("code", "INVALID_ARGUMENT"));
            assertThat(redis.pttl(names.resultKey("bad"))).isBetween(1L, Duration.ofMinutes(1).toMillis());
            assertThat(reader.pendingCount()).isZero();
        }
    }

    @Test
    void aFailedWriteAcknowledgesNothingAndTheEntriesCanBeReadAgain() {
        // The result key already holds a string, so HDEL fails with WRONGTYPE inside the batch's script.
        redis.set(names.resultKey("clash"), "not a hash");
        String ok = xadd("fine", "{}");
        String clash = xadd("clash", "{}");
        try (RedisStreamReader reader = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-0");
             RedisResultWriter writer = new RedisResultWriter(connector, names, GROUP, Duration.ofMinutes(1))) {
            List<RedisStreamEntry> batch = reader.readBatch(10, NO_BLOCK);
            List<QueueResult> results = batch.stream()
                    .map(e -> QueueResult.success(accepted(e), "{}"))
                    .toList();
            assertThatThrownBy(() -> writer.writeAndAck(results, ids(batch)))
                    .isInstanceOfSatisfying(ServingException.class,
                            e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE))
                    .hasMessageContaining("WRONGTYPE");
            assertThat(reader.pendingCount()).isEqualTo(2);

            reader.rereadPending();
            assertThat(ids(reader.readBatch(10, NO_BLOCK))).containsExactly(ok, clash);
        }
    }

    @Test
    void restartedConsumerReReadsItsPendingEntriesFirst() {
        String a = xadd("a", "{}");
        String b = xadd("b", "{}");
        try (RedisStreamReader crashed = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-3")) {
            assertThat(ids(crashed.readBatch(10, NO_BLOCK))).containsExactly(a, b);
            // "crash": closed without writing results or acknowledging
        }
        String c = xadd("c", "{}");
        try (RedisStreamReader restarted = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-3")) {
            assertThat(restarted.pendingDrained()).isFalse();
            assertThat(ids(restarted.readBatch(1, NO_BLOCK))).containsExactly(a);
            assertThat(ids(restarted.readBatch(1, NO_BLOCK))).containsExactly(b);
            // Pending drained: the next read switches to new entries.
            assertThat(ids(restarted.readBatch(10, NO_BLOCK))).containsExactly(c);
            assertThat(restarted.pendingDrained()).isTrue();
        }
    }

    @Test
    void staleEntriesOfADeadConsumerAreClaimed() throws InterruptedException {
        String a = xadd("a", "{}");
        String b = xadd("b", "{}");
        try (RedisStreamReader dead = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-dead")) {
            assertThat(dead.readBatch(10, NO_BLOCK)).hasSize(2);
        }
        try (RedisStreamReader alive = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-alive")) {
            assertThat(alive.claimStale(Duration.ofMinutes(5), 10)).as("not idle long enough yet").isEmpty();
            Thread.sleep(120);
            List<RedisStreamEntry> claimed = alive.claimStale(Duration.ofMillis(100), 10);
            assertThat(ids(claimed)).containsExactly(a, b);
            assertThat(claimed.get(0).request().uri()).isEqualTo("a");
            List<PendingMessage> owned = redis.xpending(names.requestStream(), Consumer.from(GROUP, "w-alive"),
                    Range.create("-", "+"), Limit.from(10));
            assertThat(owned).extracting(PendingMessage::getId).containsExactly(a, b);
        }
    }

    @Test
    void badEntriesBecomeErrorResultsAndAreAcknowledgedAfterWriting() {
        String noData = redis.xadd(names.requestStream(), "uri", "no-data");
        String noUri = redis.xadd(names.requestStream(), "data", "{}");
        try (RedisStreamReader reader = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-0");
             RedisResultWriter writer = new RedisResultWriter(connector, names, GROUP, Duration.ofMinutes(1))) {
            List<RedisStreamEntry> batch = reader.readBatch(10, NO_BLOCK);
            assertThat(batch).allMatch(e -> e.request() instanceof DecodedRequest.Rejected);
            assertThat(reader.rejectedCount()).isEqualTo(2);
            List<QueueResult> errors = batch.stream().map(e -> ((DecodedRequest.Rejected) e.request()).result()).toList();
            writer.writeAndAck(errors, ids(batch));

            assertThat(redis.hgetall(names.resultKey("no-data")))
                    .containsOnlyKeys("error").extractingByKey("error").asString().contains("'data' is missing");
            assertThat(redis.hgetall(names.resultKey(noUri)))
                    .containsOnlyKeys("error").extractingByKey("error").asString().contains("'uri' is missing");
            assertThat(reader.pendingCount()).isZero();
            assertThat(noData).isNotEqualTo(noUri);
        }
    }

    @Test
    void resultWriteReplacesAnEarlierOutcomeAndSetsTtl() {
        try (RedisResultWriter writer = new RedisResultWriter(connector, names, GROUP, Duration.ofMinutes(10))) {
            writer.writeAll(List.of(QueueResult.failure("u", "first try failed")));
            writer.writeAll(List.of(new QueueResult("u", null, null, "{\"predictions\":[2]}", null)));
            assertThat(redis.hgetall(names.resultKey("u"))).containsExactly(Map.entry("value", "{\"predictions\":[2]}"));
            assertThat(redis.pttl(names.resultKey("u"))).isBetween(1L, Duration.ofMinutes(10).toMillis());
        }
    }

    @Test
    void resultsAreAlsoAddedToTheReplyStream() {
        try (RedisResultWriter writer = new RedisResultWriter(connector, names, GROUP, Duration.ofMinutes(1))) {
            QueueRequest req = new QueueRequest("u", "m", 2L, "replies-" + names.jobName(), "{}");
            writer.writeAll(List.of(QueueResult.success(req, "{\"predictions\":[3]}"),
                    QueueResult.success(QueueRequest.of("no-reply", "{}"), "{}")));
            var replies = redis.xrange(req.replyTo(), Range.create("-", "+"));
            assertThat(replies).hasSize(1);
            assertThat(replies.get(0).getBody()).containsExactly(Map.entry("uri", "u"),
                    Map.entry("value", "{\"predictions\":[3]}"), Map.entry("model", "m"), Map.entry("version", "2"));
            assertThat(redis.pttl(req.replyTo())).isPositive();
        }
    }

    @Test
    void ackAndDeleteShrinksTheStreamButOnlyByAcknowledgedEntries() {
        try (RedisStreamReader reader = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-0");
             RedisResultWriter writer = new RedisResultWriter(connector, names, GROUP, Duration.ofMinutes(1))) {
            xadd("a", "{}");
            xadd("b", "{}");
            List<RedisStreamEntry> first = reader.readBatch(1, NO_BLOCK);
            writer.ackAndDelete(ids(first));
            assertThat(redis.xlen(names.requestStream())).isEqualTo(1);
            List<String> rest = new ArrayList<>(ids(reader.readBatch(10, NO_BLOCK)));
            assertThat(rest).hasSize(1);
            assertThat(reader.pendingCount()).isEqualTo(1);
        }
    }

    @Test
    void anEntryDeletedWhilePendingIsReleased() {
        String a = xadd("a", "{}");
        try (RedisStreamReader crashed = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-9")) {
            crashed.readBatch(10, NO_BLOCK);
        }
        redis.xdel(names.requestStream(), a);
        try (RedisStreamReader restarted = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-9")) {
            assertThat(restarted.readBatch(10, NO_BLOCK)).isEmpty();
            assertThat(restarted.pendingCount()).isZero();
        }
    }

    @Test
    void blockingReadReturnsWhatArrivesDuringTheBlock() throws Exception {
        try (RedisStreamReader reader = new RedisStreamReader(connector, names.requestStream(), GROUP, "w-0")) {
            reader.readBatch(1, NO_BLOCK); // drains (empty) pending list
            Thread producer = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                xadd("late", "{}");
            });
            producer.start();
            List<RedisStreamEntry> got = reader.readBatch(10, Duration.ofSeconds(5));
            producer.join();
            assertThat(got).extracting(e -> e.request().uri()).containsExactly("late");
        }
    }
}
