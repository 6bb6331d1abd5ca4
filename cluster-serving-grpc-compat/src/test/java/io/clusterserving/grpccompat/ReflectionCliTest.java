package io.clusterserving.grpccompat;

import io.clusterserving.server.grpc.ArithmeticServing;
import io.clusterserving.server.grpc.GrpcServer;
import io.clusterserving.server.grpc.GrpcServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that knows nothing of our protos: buf's {@code buf curl} (Go, from the npm registry)
 * lists the services and methods through server reflection, as {@code grpcurl list} does, and calls
 * Predict and GetModelStatus with JSON it turns into protobuf using only the descriptors reflection
 * gave it. {@code ./run-tests} installs it into {@code .cache/npm}.
 */
class ReflectionCliTest {
    @TempDir
    static Path repo;
    static ArithmeticServing serving;
    static GrpcServer server;
    static String buf;

    @BeforeAll
    static void start() throws Exception {
        buf = System.getProperty("cs.buf", ".cache/npm/node_modules/.bin/buf");
        assertThat(Path.of(buf)).as("buf CLI (./run-tests installs it: npm install --prefix .cache/npm @bufbuild/buf)")
                .isExecutable();
        serving = new ArithmeticServing(repo);
        server = GrpcServer.start(new GrpcServerSettings("127.0.0.1", 0, GrpcServerSettings.DEFAULT_MAX_MESSAGE_BYTES, 2, true),
                serving.service);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        serving.close();
    }

    @Test
    void listsEveryServiceAndMethodThroughReflection() throws Exception {
        Run services = curl("--list-services");
        assertThat(services.code).as(services.out).isZero();
        assertThat(services.out.lines().toList()).containsExactlyInAnyOrder("grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
                "inference.GRPCInferenceService", "tensorflow.serving.ModelService",
                "tensorflow.serving.PredictionService");
        Run methods = curl("--list-methods");
        assertThat(methods.code).as(methods.out).isZero();
        assertThat(methods.out.lines().toList()).contains("tensorflow.serving.PredictionService/Predict",
                "tensorflow.serving.PredictionService/GetModelMetadata", "tensorflow.serving.ModelService/GetModelStatus",
                "tensorflow.serving.ModelService/HandleReloadConfigRequest", "inference.GRPCInferenceService/ModelInfer");
    }

    @Test
    void predictsFromJsonEncodedWithReflectedDescriptors() throws Exception {
        Run r = curl("-d", "{\"model_spec\":{\"name\":\"half_plus_two\"},\"inputs\":{\"x\":{\"dtype\":\"DT_FLOAT\","
                        + "\"tensor_shape\":{\"dim\":[{\"size\":3}]},\"float_val\":[1,2,5]}}}",
                url("tensorflow.serving.PredictionService/Predict"));
        assertThat(r.code).as(r.out).isZero();
        // The reply, printed by buf from the reflected descriptors: y (and x_doubled) in tensor_content.
        assertThat(r.out).contains("\"x_doubled\"");
        String outputs = r.out.substring(r.out.indexOf("\"y\": {"));
        Matcher dtype = Pattern.compile("\"dtype\":\\s*\"(DT_\\w+)\"").matcher(outputs);
        Matcher content = Pattern.compile("\"tensorContent\":\\s*\"([^\"]+)\"").matcher(outputs);
        assertThat(dtype.find() && content.find()).as(r.out).isTrue();
        ByteBuffer y = ByteBuffer.wrap(Base64.getDecoder().decode(content.group(1))).order(ByteOrder.LITTLE_ENDIAN);
        List<Double> values = new ArrayList<>();
        while (y.hasRemaining()) {
            values.add(switch (dtype.group(1)) {
                case "DT_FLOAT" -> (double) y.getFloat();
                case "DT_DOUBLE" -> y.getDouble();
                default -> throw new AssertionError("unexpected output dtype in " + r.out);
            });
        }
        assertThat(values).containsExactly(2.5, 3.0, 4.5);
        assertThat(r.out).contains("\"name\": \"half_plus_two\"");
    }

    @Test
    void unknownModelIsNotFound() throws Exception {
        Run r = curl("-d", "{\"model_spec\":{\"name\":\"nope\"}}", url("tensorflow.serving.ModelService/GetModelStatus"));
        assertThat(r.code).isNotZero();
        assertThat(r.out).contains("\"code\": \"not_found\"").contains("model 'nope' not found");
    }

    private static String url(String method) {
        return "http://127.0.0.1:" + server.port() + "/" + method;
    }

    private record Run(int code, String out) {
    }

    /** Runs {@code buf curl --protocol grpc --http2-prior-knowledge ARGS [address]}; stdout and stderr together. */
    private static Run curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(buf, "curl", "--protocol", "grpc", "--http2-prior-knowledge"));
        command.addAll(List.of(args));
        if (!args[args.length - 1].startsWith("http")) {
            command.add("http://127.0.0.1:" + server.port());
        }
        Path log = Files.createTempFile(repo, "buf", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("buf curl did not finish in 60 s: " + command);
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
