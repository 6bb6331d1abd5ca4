package io.clusterserving.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.cli.Main;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.manager.VersionState;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.onnx.build.OnnxGraphBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The online server's swap guarantee, end to end: {@code serve} polls a model directory while
 * HTTP clients hammer it; new versions are written elsewhere and renamed in, 20 times. Every
 * request must succeed, and every answer must be exactly what the version it came from computes
 * (version v answers y = 0.5·x + v). A corrupt version afterwards must leave the last good one serving
 * and show its error in status.
 */
class HotSwapUnderLoadTest {
    private static final int SWAPS = 20;
    private static final int CLIENTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private RunningServer server;
    /**
     * Vert.x's HTTP/1.1 client, not the JDK's: JDK 17's HttpClient can close a pooled keep-alive
     * connection itself while reusing it under load (JDK-8338569, fixed in JDK 24) and fail a request
     * the server answered, which this test would count against the server.
     */
    private Vertx vertx;
    private WebClient http;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** POSTs {@code body} (or GETs, when null) on a pooled keep-alive connection; transport failures throw. */
    private HttpResponse<Buffer> call(String path, String body) throws Exception {
        var request = (body == null ? http.get(server.restPort(), "127.0.0.1", path)
                : http.post(server.restPort(), "127.0.0.1", path)).timeout(20_000);
        return (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body))).await(30, TimeUnit.SECONDS);
    }

    @Test
    void twentySwapsUnderLoadFailNoRequestAndACorruptVersionLeavesTheOldOneServing() throws Exception {
        Path base = work.resolve("models").resolve("swap");
        Path staging = work.resolve("staging");
        Files.createDirectories(base);
        Files.createDirectories(staging);
        writeVersion(staging, base, 1);

        server = start(base);
        String url = "/v1/models/swap:predict";
        vertx = Vertx.vertx();
        http = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(CLIENTS));

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<Long, Boolean> versionsSeen = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<Buffer> r = call(url, "{\"instances\": [2.0, 4.0]}");
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.bodyAsString());
                            continue;
                        }
                        JsonNode p = JSON.readTree(r.bodyAsString()).get("predictions");
                        // y = 0.5x + v: x=2 gives 1+v, x=4 gives 2+v, so v is recoverable and checkable.
                        double v = p.get(0).asDouble() - 1.0;
                        if (v != Math.rint(v) || p.get(1).asDouble() != 2.0 + v || v < 1 || v > SWAPS + 1) {
                            failures.add("inconsistent answer " + r.bodyAsString());
                        } else {
                            versionsSeen.put((long) v, true);
                            ok.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
        }

        try {
            for (long v = 2; v <= SWAPS + 1; v++) {
                long before = ok.get();
                writeVersion(staging, base, v);
                long version = v;
                // Two poll intervals (1 s each) plus load time on a busy 2-core machine.
                awaitTrue(() -> state(version).filter(s -> s == VersionState.AVAILABLE).isPresent(),
                        Duration.ofSeconds(30), "version " + v + " AVAILABLE");
                awaitTrue(() -> state(version - 1).filter(s -> s == VersionState.END).isPresent(),
                        Duration.ofSeconds(30), "version " + (v - 1) + " END");
                awaitTrue(() -> ok.get() > before, Duration.ofSeconds(30), "requests flowing after swap " + v);
            }

            // A corrupt version: the last good one keeps serving, the error shows in status.
            long corrupt = SWAPS + 2;
            Path stage = staging.resolve(Long.toString(corrupt));
            Files.createDirectories(stage);
            Files.write(stage.resolve("model.onnx"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            Files.move(stage, base.resolve(Long.toString(corrupt)), StandardCopyOption.ATOMIC_MOVE);
            awaitTrue(() -> server.service().status(ModelSpec.latest("swap")).stream()
                            .anyMatch(s -> s.version() == corrupt && !s.errorMessage().isEmpty()),
                    Duration.ofSeconds(30), "error of corrupt version " + corrupt + " in status");
            long okBefore = ok.get();
            awaitTrue(() -> ok.get() > okBefore + 10, Duration.ofSeconds(30), "serving after the corrupt version");
        } finally {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(failures).as("failed requests").isEmpty();
        assertThat(ok.get()).isGreaterThan(SWAPS * 5L);
        assertThat(state(SWAPS + 1)).contains(VersionState.AVAILABLE);

        // Status over HTTP, as a TF Serving client would read it.
        HttpResponse<Buffer> status = call("/v1/models/swap", null);
        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode versions = JSON.readTree(status.bodyAsString()).get("model_version_status");
        JsonNode bad = null;
        for (JsonNode n : versions) {
            if (n.get("version").asText().equals(Long.toString(SWAPS + 2))) {
                bad = n;
            }
        }
        assertThat(bad).as(status.bodyAsString()).isNotNull();
        assertThat(bad.at("/status/error_code").asText()).isNotEqualTo("OK");
        assertThat(bad.at("/status/error_message").asText()).contains("model.onnx");

        // The served answer is still the last good version's.
        HttpResponse<Buffer> last = call(url, "{\"instances\": [2.0]}");
        assertThat(JSON.readTree(last.bodyAsString()).at("/predictions/0").asDouble()).isEqualTo(1.0 + SWAPS + 1);
    }

    private Optional<VersionState> state(long version) {
        List<ModelVersionStatus> all = server.service().status(ModelSpec.latest("swap"));
        return all.stream().filter(s -> s.version() == version).map(ModelVersionStatus::state).findFirst();
    }

    private static RunningServer start(Path base) {
        var parsed = Main.commandLine().parseArgs("serve", "--model_name=swap", "--model_base_path=" + base,
                "--rest_api_port=0", "--port=0", "--rest_api_host=127.0.0.1", "--file_system_poll_wait_seconds=1",
                "--max_num_load_retries=0");
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        return serve.start();
    }

    /** Writes version v (y = 0.5·x + v) outside the model directory, then renames it in atomically. */
    private static void writeVersion(Path staging, Path base, long v) throws Exception {
        Path stage = staging.resolve(Long.toString(v));
        new OnnxGraphBuilder("swap_v" + v)
                .input("x", DataType.FP32, -1)
                .floatInitializer("half", new long[0], 0.5f)
                .floatInitializer("offset", new long[0], (float) v)
                .node("Mul", List.of("x", "half"), List.of("x_half"))
                .node("Add", List.of("x_half", "offset"), List.of("y"))
                .output("y", DataType.FP32, -1)
                .write(stage.resolve("model.onnx"));
        Files.move(stage, base.resolve(Long.toString(v)), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
