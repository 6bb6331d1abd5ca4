package io.clusterserving.bench.server;

import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.protocol.grpc.TensorProtoCodec;
import io.clusterserving.protocol.grpc.tfserving.ModelSpec;
import io.clusterserving.protocol.grpc.tfserving.PredictRequest;
import io.clusterserving.protocol.grpc.tfserving.PredictionServiceGrpc;
import io.clusterserving.server.grpc.ArithmeticServing;
import io.clusterserving.server.grpc.GrpcServer;
import io.clusterserving.server.grpc.GrpcServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The raw HTTP/2 gRPC load generator against the real gRPC server: OK calls count, gRPC errors are named. */
class GrpcLoadTransportTest {
    private static final String PREDICT = "/" + PredictionServiceGrpc.getPredictMethod().getFullMethodName();

    @TempDir
    static Path repo;
    static ArithmeticServing serving;
    static GrpcServer server;

    @BeforeAll
    static void start() throws Exception {
        serving = new ArithmeticServing(repo);
        server = GrpcServer.start(new GrpcServerSettings("127.0.0.1", 0, GrpcServerSettings.DEFAULT_MAX_MESSAGE_BYTES, 2, true),
                serving.service);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        serving.close();
    }

    private static byte[] predict(String model) {
        return PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName(model))
                .putInputs("x", TensorProtoCodec.toProto(Tensor.ofFloats(new long[] {3}, 1f, 2f, 5f)))
                .build().toByteArray();
    }

    private static long predictions(String model) {
        var counter = serving.format.predictions.get(model);
        return counter == null ? 0 : counter.get();
    }

    private static RunResult run(byte[] message, int users, int connections) throws InterruptedException {
        try (GrpcLoadTransport transport = new GrpcLoadTransport("127.0.0.1", server.port(), PREDICT, message,
                connections, 1)) {
            return new ClosedLoop(transport).run(users, Duration.ofSeconds(1), Duration.ofSeconds(2), new AtomicLong());
        }
    }

    @Test
    void everyAnsweredCallIsCountedAndTheServerSawThem() throws Exception {
        long before = predictions("half_plus_two");
        RunResult r = run(predict("half_plus_two"), 5, 0);
        assertThat(r.errors()).as(r.firstError()).isZero();
        assertThat(r.requests()).isPositive();
        // Warm-up and drain calls are not counted, but every counted one reached the model.
        assertThat(predictions("half_plus_two") - before).isGreaterThanOrEqualTo(r.requests());
    }

    @Test
    void aGrpcErrorStatusIsAnErrorNamingCodeAndMessage() throws Exception {
        RunResult r = run(predict("no_such_model"), 2, 1);
        assertThat(r.requests()).isZero();
        assertThat(r.errors()).isPositive();
        assertThat(r.firstError()).startsWith("gRPC NOT_FOUND: model 'no_such_model' not found");
    }

    @Test
    void usersAreSpreadOverOneConnectionPerEightUnlessToldOtherwise() throws Exception {
        try (GrpcLoadTransport t = new GrpcLoadTransport("127.0.0.1", 1, PREDICT, new byte[0], 0, 1)) {
            assertThat(t.connectionsFor(1)).isEqualTo(1);
            assertThat(t.connectionsFor(16)).isEqualTo(2);
            assertThat(t.connectionsFor(64)).isEqualTo(8);
        }
        try (GrpcLoadTransport t = new GrpcLoadTransport("127.0.0.1", 1, PREDICT, new byte[0], 3, 1)) {
            assertThat(t.connectionsFor(2)).isEqualTo(2);
            assertThat(t.connectionsFor(16)).isEqualTo(3);
        }
    }
}
