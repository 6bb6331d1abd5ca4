package io.clusterserving.client;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.manager.VersionState;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.service.ModelMetadata;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.server.grpc.ArithmeticServing;
import io.clusterserving.server.grpc.GrpcServer;
import io.clusterserving.server.grpc.GrpcServerSettings;
import io.clusterserving.server.http.RestServer;
import io.clusterserving.server.http.RestServerSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both clients against the real server (REST and gRPC frontends) over real sockets. */
class ServingClientTest {
    @TempDir
    static Path repo;
    static ArithmeticServing serving;
    static GrpcServer grpc;
    static RestServer rest;

    @BeforeAll
    static void start() throws Exception {
        serving = new ArithmeticServing(repo);
        grpc = GrpcServer.start(new GrpcServerSettings("127.0.0.1", 0, GrpcServerSettings.DEFAULT_MAX_MESSAGE_BYTES, 2, true),
                serving.service);
        rest = RestServer.start(RestServerSettings.defaults().withHost("127.0.0.1").withRestPort(0), serving.service,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @AfterAll
    static void stop() {
        rest.close();
        grpc.close();
        serving.close();
    }

    static ServingClient client(String scheme) {
        int port = scheme.equals("grpc") ? grpc.port() : rest.port();
        return ServingClient.connect(URI.create(scheme + "://127.0.0.1:" + port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void predictsHalfPlusTwo(String scheme) {
        try (ServingClient c = client(scheme)) {
            assertThat(c).isInstanceOf(scheme.equals("grpc") ? GrpcServingClient.class : RestServingClient.class);
            Prediction p = c.predict(ModelSpec.latest("half_plus_two"),
                    Map.of("x", Tensor.ofFloats(new long[] {3}, 1f, 2f, 5f)));
            Tensor y = p.output("y");
            assertThat(y.dtype()).isEqualTo(DataType.FP32);
            assertThat(y.shape()).containsExactly(3);
            assertThat(new float[] {y.getFloat(0), y.getFloat(1), y.getFloat(2)}).containsExactly(2.5f, 3f, 4.5f);
            assertThat(p.output("x_doubled").dtype()).isEqualTo(DataType.FP64);
            assertThat(p.output("x_doubled").getDouble(2)).isEqualTo(10.0);
            if (scheme.equals("grpc")) {
                assertThat(p.version()).isEqualTo(1L);
                assertThat(p.signatureName()).isEqualTo("serving_default");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void preparedRequestsAreReusedAsynchronously(String scheme) {
        try (ServingClient c = client(scheme)) {
            PreparedRequest req = c.prepare(ModelSpec.version("half_plus_two", 1),
                    Map.of("x", Tensor.ofFloats(new long[] {2}, 4f, 8f)));
            assertThat(req.sizeBytes()).isPositive();
            List<CompletableFuture<Prediction>> inFlight = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                inFlight.add(c.predictAsync(req));
            }
            for (CompletableFuture<Prediction> f : inFlight) {
                Tensor y = f.orTimeout(20, TimeUnit.SECONDS).join().output("y");
                assertThat(y.shape()).containsExactly(2);
                assertThat(y.getFloat(1)).isEqualTo(6f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void stringsRoundTrip(String scheme) {
        try (ServingClient c = client(scheme)) {
            Prediction p = c.predict(ModelSpec.latest("half_plus_two").withSignature("upper"),
                    Map.of("s", Tensor.ofStrings(new long[] {2}, List.of("abc", "héllo"))));
            Tensor u = p.output("u");
            assertThat(u.dtype()).isEqualTo(DataType.BYTES);
            assertThat(u.getString(0)).isEqualTo("ABC");
            assertThat(u.getString(1)).isEqualTo("HÉLLO");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void statusAndMetadata(String scheme) {
        try (ServingClient c = client(scheme)) {
            List<ModelVersionStatus> status = c.status(ModelSpec.latest("half_plus_two"));
            assertThat(status).singleElement().satisfies(s -> {
                assertThat(s.version()).isEqualTo(1);
                assertThat(s.state()).isEqualTo(VersionState.AVAILABLE);
                assertThat(s.errorCode()).isEqualTo(StatusCode.OK);
            });
            ModelMetadata md = c.metadata(ModelSpec.latest("half_plus_two"));
            assertThat(md.version()).isEqualTo(1);
            Signature sig = md.signatures().get("serving_default");
            assertThat(sig.methodName()).isEqualTo(Signature.PREDICT_METHOD);
            assertThat(sig.input("x").orElseThrow().dtype()).isEqualTo(DataType.FP32);
            assertThat(sig.input("x").orElseThrow().shape()).containsExactly(-1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void serverErrorsKeepTheirCode(String scheme) {
        try (ServingClient c = client(scheme)) {
            assertThatThrownBy(() -> c.status(ModelSpec.latest("missing")))
                    .isInstanceOfSatisfying(ServingException.class,
                            e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));
            assertThatThrownBy(() -> c.predict(ModelSpec.version("half_plus_two", 1),
                    Map.of("x", Tensor.ofInts(new long[] {1}, 1), "extra", Tensor.ofInts(new long[] {1}, 1))))
                    .isInstanceOfSatisfying(ServingException.class,
                            e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT));
        }
    }

    @org.junit.jupiter.api.Test
    void connectRejectsUnknownSchemes() {
        assertThatThrownBy(() -> ServingClient.connect(URI.create("ftp://localhost:1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grpc://host:port");
    }
}
