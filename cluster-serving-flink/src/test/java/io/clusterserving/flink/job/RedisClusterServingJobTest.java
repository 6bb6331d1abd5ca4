package io.clusterserving.flink.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.testing.RedisMonitor;
import io.clusterserving.flink.testing.RedisProcess;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.queue.redis.RedisConnector;
import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole job on an embedded MiniCluster ({@link ClusterServingJob#start}) against a real
 * redis-server and a real ONNX model (half_plus_two, served as version 2), parallelism 2.
 */
class RedisClusterServingJobTest {
    private static final String JOB = "cs_test";
    private static final String GROUP = "serving";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path models;

    private static RedisProcess redis;
    private static RedisConnector connector;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> cmd;
    private static RedisMonitor monitor;
    private static JobHandle job;
    private static int prometheusPort;
    private static final List<String> orphanUris = new ArrayList<>();

    @BeforeAll
    @SuppressWarnings("unchecked") // Lettuce's xreadgroup takes StreamOffset varargs
    static void startJob() throws Exception {
        redis = RedisProcess.start();
        connector = new RedisConnector(redis.endpoint());
        connection = connector.connect();
        cmd = connection.sync();
        monitor = new RedisMonitor(redis.port());

        ExampleModels.halfPlusTwo(models);
        Path base = models.resolve(ExampleModels.HALF_PLUS_TWO);
        Files.createDirectories(base.resolve("2"));
        Files.copy(base.resolve("1/model.onnx"), base.resolve("2/model.onnx"));

        // A previous run that died: subtask 0 read 5 entries and a consumer that no longer exists read 3;
        // none was acknowledged.
        cmd.xgroupCreate(XReadArgs.StreamOffset.from(JOB, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        for (int i = 0; i < 5; i++) {
            orphanUris.add(add("orphan-" + i, "{\"instances\": [" + i + "]}", Map.of()));
        }
        cmd.xreadgroup(Consumer.from(GROUP, JOB + "-0"), XReadArgs.Builder.count(5), XReadArgs.StreamOffset.lastConsumed(JOB));
        for (int i = 0; i < 3; i++) {
            orphanUris.add(add("ghost-" + i, "{\"instances\": [" + (10 + i) + "]}", Map.of()));
        }
        cmd.xreadgroup(Consumer.from(GROUP, "ghost-9"), XReadArgs.Builder.count(3), XReadArgs.StreamOffset.lastConsumed(JOB));
        assertThat(cmd.xpending(JOB, GROUP).getCount()).isEqualTo(8);

        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            prometheusPort = s.getLocalPort();
        }
        ClusterServingConfig config = ClusterServingConfig.fromYaml("""
                modelPath: %s
                jobName: %s
                redisUrl: %s
                modelParallelism: 2
                batchSize: 16
                webUiPort: 0
                claimIdleMillis: 300
                checkpointIntervalMillis: 2000
                prometheusPort: %d
                """.formatted(base, JOB, redis.url(), prometheusPort));
        job = ClusterServingJob.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (job != null) {
            job.close();
        }
        if (monitor != null) {
            monitor.close();
        }
        if (connection != null) {
            connection.close();
            connector.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void everyEntryGetsAResultHashWithTheRightValue() throws Exception {
        int n = 300;
        for (int i = 0; i < n; i++) {
            add("n-" + i, "{\"instances\": [" + i + ", " + (i + 0.5) + "]}", Map.of());
        }
        await(() -> cmd.exists(keys("n-", n)) == n);
        for (int i = 0; i < n; i++) {
            Map<String, String> hash = cmd.hgetall(key("n-" + i));
            assertThat(hash).containsOnlyKeys("value");
            JsonNode predictions = JSON.readTree(hash.get("value")).get("predictions");
            assertThat(predictions).hasSize(2);
            assertThat(predictions.get(0).asDouble()).isCloseTo(0.5 * i + 2, within(1e-5));
            assertThat(predictions.get(1).asDouble()).isCloseTo(0.5 * (i + 0.5) + 2, within(1e-5));
            assertThat(cmd.pttl(key("n-" + i))).isBetween(1L, 3_600_000L);
        }
    }

    @Test
    void badRecordsGetErrorHashesWhileTheirNeighboursSucceed() throws Exception {
        add("mix-good-1", "{\"instances\": [4]}", Map.of());
        add("mix-not-json", "{\"instances\": [4", Map.of());
        add("mix-wrong-shape", "{\"instances\": [[1, 2], [3, 4]]}", Map.of());
        add("mix-no-version", "{\"instances\": [4]}", Map.of("version", "7"));
        add("mix-no-model", "{\"instances\": [4]}", Map.of("model", "nope"));
        cmd.xadd(JOB, Map.of("uri", "mix-no-data"));
        add("mix-good-2", "{\"instances\": [6]}", Map.of());
        List<String> uris = List.of("mix-good-1", "mix-not-json", "mix-wrong-shape", "mix-no-version", "mix-no-model",
                "mix-no-data", "mix-good-2");
        await(() -> uris.stream().allMatch(u -> cmd.exists(key(u)) == 1));

        assertThat(value("mix-good-1").get(0).asDouble()).isEqualTo(4.0);
        assertThat(value("mix-good-2").get(0).asDouble()).isEqualTo(5.0);
        for (String bad : uris.subList(1, 6)) {
            assertThat(cmd.hgetall(key(bad))).as(bad).containsOnlyKeys("error", "code");
        }
        // Every error result names its canonical status, so a REST frontend answers the direct server's.
        assertThat(cmd.hget(key("mix-not-json"), "code")).isEqualTo("INVALID_ARGUMENT");
        assertThat(cmd.hget(key("mix-wrong-shape"), "code")).isEqualTo("INVALID_ARGUMENT");
        assertThat(cmd.hget(key("mix-no-version"), "code")).isEqualTo("NOT_FOUND");
        assertThat(cmd.hget(key("mix-no-model"), "code")).isEqualTo("NOT_FOUND");
        assertThat(cmd.hget(key("mix-no-data"), "code")).isEqualTo("INVALID_ARGUMENT");
        assertThat(cmd.hget(key("mix-no-version"), "error")).contains("version 7");
        assertThat(cmd.hget(key("mix-no-model"), "error")).contains("nope");
        assertThat(cmd.hget(key("mix-no-data"), "error")).contains("data");
        assertThat(cmd.hget(key("mix-wrong-shape"), "error")).isNotBlank();
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void resultsNameTheModelVersionThatProducedThem() throws Exception {
        add("ver-tf", "{\"instances\": [8]}", Map.of("reply_to", "replies-ver"));
        add("ver-v2", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [2], \"data\": [1, 2]}]}",
                Map.of("reply_to", "replies-ver"));
        await(() -> cmd.xlen("replies-ver") == 2);
        Map<String, Map<String, String>> replies = new HashMap<>();
        for (StreamMessage<String, String> m : cmd.xrange("replies-ver", io.lettuce.core.Range.create("-", "+"))) {
            replies.put(m.getBody().get("uri"), m.getBody());
        }
        assertThat(replies.get("ver-tf")).containsEntry("model", "half_plus_two").containsEntry("version", "2");
        assertThat(replies.get("ver-v2")).containsEntry("version", "2");
        JsonNode v2 = JSON.readTree(cmd.hget(key("ver-v2"), "value"));
        assertThat(v2.get("model_version").asText()).isEqualTo("2");
        assertThat(v2.get("outputs").get(0).get("data").get(1).asDouble()).isEqualTo(3.0);
        assertThat(JSON.readTree(replies.get("ver-tf").get("value")).get("predictions").get(0).asDouble()).isEqualTo(6.0);
    }

    @Test
    void entriesLeftPendingByAnEarlierRunAreAnsweredAndAcknowledged() {
        await(() -> orphanUris.stream().allMatch(u -> cmd.exists(key(u)) == 1));
        assertThat(cmd.hget(key("orphan-3"), "value")).contains("3.5");
        assertThat(cmd.hget(key("ghost-2"), "value")).contains("8.0");
        await(() -> cmd.xpending(JOB, GROUP).getConsumerMessageCount().getOrDefault("ghost-9", 0L) == 0
                && cmd.xpending(JOB, GROUP).getConsumerMessageCount().getOrDefault(JOB + "-0", 0L) == 0);
    }

    @Test
    void answeredEntriesAreTrimmedFromTheRequestStream() {
        String first = add("trim-0", "{\"instances\": [1]}", Map.of(), true); // its stream id
        for (int i = 1; i < 50; i++) {
            add("trim-" + i, "{\"instances\": [" + i + "]}", Map.of());
        }
        await(() -> cmd.exists(keys("trim-", 50)) == 50);
        // The job trims every second (redisTrimIntervalMillis' default) once every group has acknowledged.
        await(() -> cmd.xrange(JOB, Range.create(first, first)).isEmpty());
        assertThat(cmd.xlen(JOB)).as("answered entries no longer kept").isLessThan(50);
    }

    @Test
    void noEntryIsAcknowledgedBeforeItsResultHashIsWritten() {
        Map<String, String> uriById = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            String uri = "ack-" + i;
            uriById.put(add(uri, "{\"instances\": [" + i + "]}", Map.of(), true), uri);
        }
        await(() -> cmd.exists(keys("ack-", 100)) == 100);
        await(() -> acknowledgedIds(monitor.lines()).keySet().containsAll(uriById.keySet()));
        List<String> lines = monitor.lines();
        Map<String, Integer> ackLine = acknowledgedIds(lines);
        Map<String, Integer> hsetLine = new HashMap<>();
        Pattern hset = Pattern.compile("\"HSET\" \"cluster-serving_" + JOB + ":([^\"]+)\"");
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = hset.matcher(lines.get(i));
            if (m.find()) {
                hsetLine.putIfAbsent(m.group(1), i);
            }
        }
        for (Map.Entry<String, String> e : uriById.entrySet()) {
            assertThat(hsetLine).as("result hash of %s", e.getValue()).containsKey(e.getValue());
            assertThat(hsetLine.get(e.getValue())).as("HSET of %s precedes the XACK of %s", e.getValue(), e.getKey())
                    .isLessThan(ackLine.get(e.getKey()));
        }
    }

    @Test
    void webUiAnswersOnThePortItReports() throws Exception {
        assertThat(job.embedded()).isTrue();
        HttpResponse<String> overview = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(job.webUiUrl() + "/jobs/overview")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains(job.jobId().toHexString()).contains(JOB);
    }

    @Test
    void statusAndPerModelMetricsAreVisibleFromOutside() throws Exception {
        add("metrics-1", "{\"instances\": [1]}", Map.of());
        await(() -> cmd.exists(key("metrics-1")) == 1);
        try (RunningJobs jobs = RunningJobs.connect(job.webUiUrl())) {
            assertThat(jobs.findRunning(JOB)).hasValueSatisfying(j -> {
                assertThat(j.id()).isEqualTo(job.jobId());
                assertThat(j.status()).isEqualTo(JobStatus.RUNNING);
            });
            assertThat(jobs.findRunning("no_such_job")).isEmpty();
        }
        HttpClient http = HttpClient.newHttpClient();
        await(() -> {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                return body.lines().anyMatch(l -> l.contains("clusterServing_model_records")
                        && l.contains("model=\"half_plus_two\"") && !l.endsWith(" 0.0"));
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Entry id → index of the first monitor line that XACKed it. */
    private static Map<String, Integer> acknowledgedIds(List<String> lines) {
        Map<String, Integer> acked = new HashMap<>();
        Pattern id = Pattern.compile("\"(\\d+-\\d+)\"");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = line.indexOf("\"XACK\" \"" + JOB + "\"");
            if (at >= 0) {
                Matcher m = id.matcher(line.substring(at));
                while (m.find()) {
                    acked.putIfAbsent(m.group(1), i);
                }
            }
        }
        return acked;
    }

    private static JsonNode value(String uri) throws Exception {
        return JSON.readTree(cmd.hget(key(uri), "value")).get("predictions");
    }

    private static String add(String uri, String data, Map<String, String> extra) {
        return add(uri, data, extra, false);
    }

    private static String add(String uri, String data, Map<String, String> extra, boolean returnId) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("uri", uri);
        fields.put("data", data);
        fields.putAll(extra);
        String id = cmd.xadd(JOB, fields);
        return returnId ? id : uri;
    }

    private static String key(String uri) {
        return "cluster-serving_" + JOB + ":" + uri;
    }

    private static String[] keys(String prefix, int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key(prefix + i);
        }
        return keys;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s; job status " + job.status());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
