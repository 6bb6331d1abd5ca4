package io.clusterserving.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.protocol.grpc.InferTensorCodec;
import io.clusterserving.protocol.grpc.TensorProtoCodec;
import io.clusterserving.protocol.grpc.inference.GRPCInferenceServiceGrpc;
import io.clusterserving.protocol.grpc.inference.InferTensorContents;
import io.clusterserving.protocol.grpc.inference.ModelInferRequest;
import io.clusterserving.protocol.grpc.inference.ModelInferResponse;
import io.clusterserving.protocol.grpc.inference.ModelMetadataRequest;
import io.clusterserving.protocol.grpc.inference.ModelMetadataResponse;
import io.clusterserving.protocol.grpc.inference.ModelReadyRequest;
import io.clusterserving.protocol.grpc.inference.ServerLiveRequest;
import io.clusterserving.protocol.grpc.inference.ServerMetadataRequest;
import io.clusterserving.protocol.grpc.inference.ServerReadyRequest;
import io.clusterserving.protocol.grpc.tensorflow.DataType;
import io.clusterserving.protocol.grpc.tensorflow.Example;
import io.clusterserving.protocol.grpc.tensorflow.Feature;
import io.clusterserving.protocol.grpc.tensorflow.Features;
import io.clusterserving.protocol.grpc.tensorflow.FloatList;
import io.clusterserving.protocol.grpc.tensorflow.SignatureDef;
import io.clusterserving.protocol.grpc.tensorflow.TensorProto;
import io.clusterserving.protocol.grpc.tfserving.ClassificationRequest;
import io.clusterserving.protocol.grpc.tfserving.ClassificationResponse;
import io.clusterserving.protocol.grpc.tfserving.ExampleList;
import io.clusterserving.protocol.grpc.tfserving.ExampleListWithContext;
import io.clusterserving.protocol.grpc.tfserving.GetModelMetadataRequest;
import io.clusterserving.protocol.grpc.tfserving.GetModelMetadataResponse;
import io.clusterserving.protocol.grpc.tfserving.GetModelStatusRequest;
import io.clusterserving.protocol.grpc.tfserving.GetModelStatusResponse;
import io.clusterserving.protocol.grpc.tfserving.InferenceTask;
import io.clusterserving.protocol.grpc.tfserving.Input;
import io.clusterserving.protocol.grpc.tfserving.ModelServiceGrpc;
import io.clusterserving.protocol.grpc.tfserving.ModelSpec;
import io.clusterserving.protocol.grpc.tfserving.ModelVersionStatus;
import io.clusterserving.protocol.grpc.tfserving.MultiInferenceRequest;
import io.clusterserving.protocol.grpc.tfserving.MultiInferenceResponse;
import io.clusterserving.protocol.grpc.tfserving.PredictRequest;
import io.clusterserving.protocol.grpc.tfserving.PredictResponse;
import io.clusterserving.protocol.grpc.tfserving.PredictionServiceGrpc;
import io.clusterserving.protocol.grpc.tfserving.RegressionRequest;
import io.clusterserving.protocol.grpc.tfserving.SignatureDefMap;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gRPC frontend over a real LocalInferenceService, called through real channels. */
class GrpcServerTest {
    @TempDir
    static Path repo;
    static ArithmeticServing serving;
    static GrpcServer server;
    static ManagedChannel channel;
    static PredictionServiceGrpc.PredictionServiceBlockingStub prediction;
    static ModelServiceGrpc.ModelServiceBlockingStub models;
    static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub v2;

    @BeforeAll
    static void start() throws Exception {
        serving = new ArithmeticServing(repo);
        server = GrpcServer.start(new GrpcServerSettings("127.0.0.1", 0, GrpcServerSettings.DEFAULT_MAX_MESSAGE_BYTES, 4, true),
                serving.service, serving.registry);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        prediction = PredictionServiceGrpc.newBlockingStub(channel);
        models = ModelServiceGrpc.newBlockingStub(channel);
        v2 = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        serving.close();
    }

    static ModelSpec spec(String name) {
        return ModelSpec.newBuilder().setName(name).build();
    }

    static float[] floats(TensorProto p) {
        assertThat(p.getDtype()).isEqualTo(DataType.DT_FLOAT);
        // TF Serving answers numbers in tensor_content, little-endian.
        ByteBuffer b = p.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void predictWithTypedFloatValAnswersInTensorContent() {
        TensorProto x = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorProtoCodec.toShape(new long[] {3}))
                .addFloatVal(1f).addFloatVal(2f).addFloatVal(5f).build();
        PredictResponse r = prediction.predict(PredictRequest.newBuilder().setModelSpec(spec("half_plus_two"))
                .putInputs("x", x).build());
        assertThat(floats(r.getOutputsOrThrow("y"))).containsExactly(2.5f, 3f, 4.5f);
        assertThat(r.getOutputsOrThrow("y").getFloatValCount()).isZero();
        assertThat(r.getOutputsOrThrow("y").getTensorShape().getDim(0).getSize()).isEqualTo(3);
        assertThat(r.getModelSpec().getName()).isEqualTo("half_plus_two");
        assertThat(r.getModelSpec().getVersion().getValue()).isEqualTo(1);
        assertThat(r.getModelSpec().getSignatureName()).isEqualTo("serving_default");
        assertThat(r.getOutputsMap()).containsOnlyKeys("y", "x_doubled");
    }

    @Test
    void predictWithTensorContentAndOutputFilter() {
        Tensor x = Tensor.ofFloats(new long[] {2}, 4f, -2f);
        PredictResponse r = prediction.predict(PredictRequest.newBuilder()
                .setModelSpec(spec("half_plus_two").toBuilder().setVersion(Int64Value.of(1)))
                .putInputs("x", TensorProtoCodec.toProto(x)).addOutputFilter("y").build());
        assertThat(r.getOutputsMap()).containsOnlyKeys("y");
        assertThat(floats(r.getOutputsOrThrow("y"))).containsExactly(4f, 1f);
    }

    @Test
    void stringOutputsTravelInStringVal() {
        TensorProto s = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(TensorProtoCodec.toShape(new long[] {2}))
                .addStringVal(ByteString.copyFromUtf8("abc")).addStringVal(ByteString.copyFromUtf8("Zz")).build();
        PredictResponse r = prediction.predict(PredictRequest.newBuilder()
                .setModelSpec(spec("half_plus_two").toBuilder().setSignatureName("upper")).putInputs("s", s).build());
        TensorProto u = r.getOutputsOrThrow("u");
        assertThat(u.getDtype()).isEqualTo(DataType.DT_STRING);
        assertThat(u.getTensorContent().isEmpty()).isTrue();
        assertThat(u.getStringValList()).extracting(ByteString::toStringUtf8).containsExactly("ABC", "ZZ");
    }

    @Test
    void errorsMapToTheSameNamedStatus() {
        TensorProto x = TensorProtoCodec.toProto(Tensor.ofFloats(new long[] {1}, 1f));
        assertThatThrownBy(() -> prediction.predict(PredictRequest.newBuilder().setModelSpec(spec("nope"))
                .putInputs("x", x).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("nope");
                });
        TensorProto doubles = TensorProtoCodec.toProto(Tensor.ofDoubles(new long[] {1}, 1.0));
        assertThatThrownBy(() -> prediction.predict(PredictRequest.newBuilder().setModelSpec(spec("half_plus_two"))
                .putInputs("x", doubles).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        TensorProto bad = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorProtoCodec.toShape(new long[] {2})).setTensorContent(ByteString.copyFrom(new byte[3]))
                .build();
        assertThatThrownBy(() -> prediction.predict(PredictRequest.newBuilder().setModelSpec(spec("half_plus_two"))
                .putInputs("x", bad).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo(
                            "tensor 'x': tensor_content of DT_FLOAT [2] has 3 bytes, expected 8");
                });
    }

    @Test
    void metadataPacksSignatureDefMap() throws Exception {
        GetModelMetadataResponse r = prediction.getModelMetadata(GetModelMetadataRequest.newBuilder()
                .setModelSpec(spec("half_plus_two")).addMetadataField("signature_def").build());
        assertThat(r.getModelSpec().getVersion().getValue()).isEqualTo(1);
        assertThat(r.getMetadataOrThrow("signature_def").getTypeUrl())
                .isEqualTo("type.googleapis.com/tensorflow.serving.SignatureDefMap");
        SignatureDefMap map = r.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class);
        assertThat(map.getSignatureDefMap()).containsOnlyKeys("serving_default", "upper");
        SignatureDef def = map.getSignatureDefOrThrow("serving_default");
        assertThat(def.getMethodName()).isEqualTo("tensorflow/serving/predict");
        assertThat(def.getInputsOrThrow("x").getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(def.getInputsOrThrow("x").getTensorShape().getDim(0).getSize()).isEqualTo(-1);
        assertThat(def.getOutputsOrThrow("x_doubled").getDtype()).isEqualTo(DataType.DT_DOUBLE);

        assertThatThrownBy(() -> prediction.getModelMetadata(GetModelMetadataRequest.newBuilder()
                .setModelSpec(spec("half_plus_two")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void modelStatusListsVersions() {
        GetModelStatusResponse r = models.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(spec("half_plus_two")).build());
        assertThat(r.getModelVersionStatusList()).hasSize(1);
        ModelVersionStatus s = r.getModelVersionStatus(0);
        assertThat(s.getVersion()).isEqualTo(1);
        assertThat(s.getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
        assertThat(s.getStatus().getErrorCodeValue()).isZero();
        assertThatThrownBy(() -> models.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(spec("half_plus_two").toBuilder().setVersion(Int64Value.of(9))).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    static Example example(float x) {
        return Example.newBuilder().setFeatures(Features.newBuilder().putFeature("x",
                Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(x)).build())).build();
    }

    @Test
    void classifyRegressAndMultiInferenceRunExampleSignatures() {
        Input input = Input.newBuilder().setExampleList(ExampleList.newBuilder()
                .addExamples(example(0.25f)).addExamples(example(0.75f))).build();
        ClassificationResponse c = prediction.classify(ClassificationRequest.newBuilder()
                .setModelSpec(spec("scorer")).setInput(input).build());
        assertThat(c.getResult().getClassificationsCount()).isEqualTo(2);
        assertThat(c.getResult().getClassifications(1).getClassesList())
                .extracting(cl -> cl.getLabel() + "=" + cl.getScore()).containsExactly("pos=0.75", "neg=0.25");
        assertThat(c.getModelSpec().getVersion().getValue()).isEqualTo(1);

        Input withContext = Input.newBuilder().setExampleListWithContext(ExampleListWithContext.newBuilder()
                .setContext(example(100f)).addExamples(example(4f))).build();
        var reg = prediction.regress(RegressionRequest.newBuilder()
                .setModelSpec(spec("scorer").toBuilder().setSignatureName("regress")).setInput(withContext).build());
        assertThat(reg.getResult().getRegressions(0).getValue()).isEqualTo(4f);

        MultiInferenceResponse multi = prediction.multiInference(MultiInferenceRequest.newBuilder()
                .addTasks(InferenceTask.newBuilder().setModelSpec(spec("scorer"))
                        .setMethodName("tensorflow/serving/classify"))
                .addTasks(InferenceTask.newBuilder().setModelSpec(spec("scorer").toBuilder().setSignatureName("regress"))
                        .setMethodName("tensorflow/serving/regress"))
                .setInput(input).build());
        assertThat(multi.getResultsCount()).isEqualTo(2);
        assertThat(multi.getResults(0).getClassificationResult().getClassifications(0).getClasses(0).getScore())
                .isEqualTo(0.25f);
        assertThat(multi.getResults(1).getRegressionResult().getRegressions(1).getValue()).isEqualTo(2.375f);
    }

    @Test
    void classifyOnAPredictOnlyModelIsUnimplemented() {
        Input input = Input.newBuilder().setExampleList(ExampleList.newBuilder().addExamples(example(1f))).build();
        assertThatThrownBy(() -> prediction.classify(ClassificationRequest.newBuilder()
                .setModelSpec(spec("half_plus_two")).setInput(input).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
                    assertThat(e.getStatus().getDescription()).startsWith(
                            "model 'half_plus_two' version 1 (arith) cannot classify: ")
                            .contains("tensorflow/serving/classify").contains("Predict only");
                });
        assertThatThrownBy(() -> prediction.multiInference(MultiInferenceRequest.newBuilder()
                .addTasks(InferenceTask.newBuilder().setModelSpec(spec("half_plus_two"))
                        .setMethodName("tensorflow/serving/regress")).setInput(input).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void v2HealthAndMetadata() {
        assertThat(v2.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(v2.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(v2.modelReady(ModelReadyRequest.newBuilder().setName("half_plus_two").build()).getReady()).isTrue();
        assertThat(v2.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()).getReady()).isFalse();
        assertThat(v2.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName()).isEqualTo("cluster-serving");
        ModelMetadataResponse md = v2.modelMetadata(ModelMetadataRequest.newBuilder().setName("half_plus_two").build());
        assertThat(md.getVersionsList()).containsExactly("1");
        assertThat(md.getPlatform()).isEqualTo("arith");
        assertThat(md.getInputs(0).getName()).isEqualTo("x");
        assertThat(md.getInputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(md.getInputs(0).getShapeList()).containsExactly(-1L);
        assertThatThrownBy(() -> v2.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void v2ModelInferTypedAndRawAnswersRaw() {
        ModelInferRequest typed = ModelInferRequest.newBuilder().setModelName("half_plus_two").setId("req-1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(2)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(2f).addFp32Contents(6f)))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("y"))
                .build();
        ModelInferResponse r = v2.modelInfer(typed);
        assertThat(r.getId()).isEqualTo("req-1");
        assertThat(r.getModelVersion()).isEqualTo("1");
        assertThat(r.getOutputsCount()).isEqualTo(1);
        assertThat(r.getOutputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(r.getRawOutputContentsCount()).isEqualTo(1);
        Tensor y = InferTensorCodec.outputs(r).get("y");
        assertThat(new float[] {y.getFloat(0), y.getFloat(1)}).containsExactly(3f, 5f);

        Tensor x = Tensor.ofFloats(new long[] {1}, 10f);
        ModelInferRequest raw = ModelInferRequest.newBuilder().setModelName("half_plus_two").setModelVersion("1")
                .addInputs(InferTensorCodec.inputHeader("x", x)).addRawInputContents(InferTensorCodec.toRaw(x)).build();
        ModelInferResponse rr = v2.modelInfer(raw);
        assertThat(rr.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getName)
                .containsExactly("y", "x_doubled");
        assertThat(InferTensorCodec.outputs(rr).get("y").getFloat(0)).isEqualTo(7f);
        assertThat(InferTensorCodec.outputs(rr).get("x_doubled").getDouble(0)).isEqualTo(20.0);

        assertThatThrownBy(() -> v2.modelInfer(raw.toBuilder().setModelVersion("one").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void deadlineExceededWhileTheModelRuns() {
        TensorProto x = TensorProtoCodec.toProto(Tensor.ofFloats(new long[] {1}, 1f));
        assertThatThrownBy(() -> prediction.withDeadlineAfter(100, TimeUnit.MILLISECONDS)
                .predict(PredictRequest.newBuilder().setModelSpec(spec("slow")).putInputs("x", x).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }

    @Test
    void callWhoseDeadlinePassedInTheQueueIsNotRun(@TempDir Path dir) throws Exception {
        try (ArithmeticServing own = new ArithmeticServing(dir);
             GrpcServer oneThread = GrpcServer.start(new GrpcServerSettings("127.0.0.1", 0, 1 << 20, 1, false), own.service)) {
            ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", oneThread.port()).usePlaintext().build();
            try {
                var async = PredictionServiceGrpc.newStub(ch);
                TensorProto x = TensorProtoCodec.toProto(Tensor.ofFloats(new long[] {1}, 1f));
                // Connect first: calls made while the channel connects start in no guaranteed order.
                PredictionServiceGrpc.newBlockingStub(ch).predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("half_plus_two")).putInputs("x", x).build());
                CompletableFuture<PredictResponse> slow = new CompletableFuture<>();
                // Occupies the only handler thread for 400 ms (the model runs on the caller's thread).
                async.predict(PredictRequest.newBuilder().setModelSpec(spec("slow")).putInputs("x", x).build(),
                        observer(slow));
                Thread.sleep(50);
                CompletableFuture<PredictResponse> queued = new CompletableFuture<>();
                async.withDeadlineAfter(100, TimeUnit.MILLISECONDS).predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("half_plus_two")).putInputs("x", x).build(), observer(queued));
                assertThat(slow.get(10, TimeUnit.SECONDS).getOutputsMap()).containsKey("y");
                assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StatusRuntimeException.class)
                        .hasMessageContaining("DEADLINE_EXCEEDED");
                Thread.sleep(200); // give a wrongly dispatched call time to reach the model
                assertThat(own.format.predictions.get("half_plus_two")).hasValue(1); // the connecting call only
                assertThat(own.format.predictions.get("slow")).hasValue(1);
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    static <T> StreamObserver<T> observer(CompletableFuture<T> f) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                f.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                f.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    @Test
    void healthIsServingWhenReady() {
        var health = HealthGrpc.newBlockingStub(channel);
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("tensorflow.serving.PredictionService")
                .build()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThatThrownBy(() -> health.check(HealthCheckRequest.newBuilder().setService("nope").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        var watch = health.watch(HealthCheckRequest.getDefaultInstance());
        assertThat(watch.next().getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void reflectionListsTheServices() throws Exception {
        CompletableFuture<List<String>> names = new CompletableFuture<>();
        var requests = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse r) {
                names.complete(r.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName)
                        .sorted().toList());
            }

            @Override
            public void onError(Throwable t) {
                names.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        List<String> services = names.get(10, TimeUnit.SECONDS);
        requests.onCompleted();
        assertThat(services).contains("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
                "inference.GRPCInferenceService", "tensorflow.serving.ModelService",
                "tensorflow.serving.PredictionService");
    }

    @Test
    void messagesAboveTheLimitAreRejected(@TempDir Path dir) throws Exception {
        try (ArithmeticServing own = new ArithmeticServing(dir);
             GrpcServer small = GrpcServer.start(new GrpcServerSettings("127.0.0.1", 0, 4096, 2, true), own.service)) {
            ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", small.port()).usePlaintext().build();
            try {
                TensorProto big = TensorProtoCodec.toProto(Tensor.ofFloats(new long[] {2000}, new float[2000]));
                assertThatThrownBy(() -> PredictionServiceGrpc.newBlockingStub(ch).predict(PredictRequest.newBuilder()
                        .setModelSpec(spec("half_plus_two")).putInputs("x", big).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void callsAreCountedPerMethodAndCode() {
        TensorProto x = TensorProtoCodec.toProto(Tensor.ofFloats(new long[] {1}, 1f));
        prediction.predict(PredictRequest.newBuilder().setModelSpec(spec("half_plus_two")).putInputs("x", x).build());
        Counter ok = serving.registry.find(MethodMetricsInterceptor.METRIC).tag("grpc_method", "Predict")
                .tag("grpc_service", "tensorflow.serving.PredictionService").tag("grpc_code", "OK").counter();
        assertThat(ok).isNotNull();
        assertThat(ok.count()).isGreaterThanOrEqualTo(1.0);
    }
}
