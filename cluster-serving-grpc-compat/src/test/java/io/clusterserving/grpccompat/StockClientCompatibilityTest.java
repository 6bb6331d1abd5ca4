package io.clusterserving.grpccompat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferResponse;
import inference.GrpcPredictV2.ModelMetadataRequest;
import inference.GrpcPredictV2.ModelMetadataResponse;
import inference.GrpcPredictV2.ServerReadyRequest;
import io.clusterserving.server.grpc.ArithmeticServing;
import io.clusterserving.server.grpc.GrpcServer;
import io.clusterserving.server.grpc.GrpcServerSettings;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.SignatureDef;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The acceptance check for the wire format: clients generated from the upstream tensorflow_serving
 * and KServe protos — Apache Camel's camel-tensorflow-serving and camel-kserve jars, not this
 * project's protos — call our server and get the right numbers (y = 0.5x + 2).
 */
class StockClientCompatibilityTest {
    @TempDir
    static Path repo;
    static ArithmeticServing serving;
    static GrpcServer server;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        serving = new ArithmeticServing(repo);
        server = GrpcServer.start(new GrpcServerSettings("127.0.0.1", 0, GrpcServerSettings.DEFAULT_MAX_MESSAGE_BYTES, 2, true),
                serving.service);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        serving.close();
    }

    static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
        for (long d : dims) {
            b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return b.build();
    }

    static float[] tensorContentFloats(TensorProto p) {
        ByteBuffer b = p.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void tfServingPredictWithFloatVal() {
        TensorProto x = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(3))
                .addFloatVal(1f).addFloatVal(2f).addFloatVal(5f).build();
        PredictResponse r = PredictionServiceGrpc.newBlockingStub(channel).predict(PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("half_plus_two").setSignatureName("serving_default"))
                .putInputs("x", x).build());
        TensorProto y = r.getOutputsOrThrow("y");
        assertThat(y.getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(y.getTensorShape().getDim(0).getSize()).isEqualTo(3);
        assertThat(tensorContentFloats(y)).containsExactly(2.5f, 3f, 4.5f);
        assertThat(r.getModelSpec().getName()).isEqualTo("half_plus_two");
        assertThat(r.getModelSpec().getVersion().getValue()).isEqualTo(1);
    }

    @Test
    void tfServingPredictWithTensorContent() {
        ByteBuffer content = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(4f).putFloat(-2f).flip();
        TensorProto x = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(2))
                .setTensorContent(ByteString.copyFrom(content)).build();
        PredictResponse r = PredictionServiceGrpc.newBlockingStub(channel).predict(PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("half_plus_two").setVersion(Int64Value.of(1)))
                .putInputs("x", x).addOutputFilter("y").build());
        assertThat(r.getOutputsMap()).containsOnlyKeys("y");
        assertThat(tensorContentFloats(r.getOutputsOrThrow("y"))).containsExactly(4f, 1f);
    }

    @Test
    void tfServingErrorsKeepTheirCodes() {
        TensorProto x = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(1)).addFloatVal(1)
                .build();
        assertThatThrownBy(() -> PredictionServiceGrpc.newBlockingStub(channel).predict(PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("missing")).putInputs("x", x).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void tfServingGetModelMetadata() throws Exception {
        GetModelMetadataResponse r = PredictionServiceGrpc.newBlockingStub(channel).getModelMetadata(
                GetModelMetadataRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("half_plus_two"))
                        .addMetadataField("signature_def").build());
        SignatureDefMap map = r.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class);
        SignatureDef def = map.getSignatureDefOrThrow("serving_default");
        assertThat(def.getMethodName()).isEqualTo("tensorflow/serving/predict");
        assertThat(def.getInputsOrThrow("x").getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(def.getInputsOrThrow("x").getTensorShape().getDim(0).getSize()).isEqualTo(-1);
        assertThat(def.getOutputsOrThrow("y").getName()).isEqualTo("y");
        assertThat(r.getModelSpec().getVersion().getValue()).isEqualTo(1);
    }

    @Test
    void tfServingGetModelStatus() {
        GetModelStatusResponse r = ModelServiceGrpc.newBlockingStub(channel).getModelStatus(GetModelStatusRequest
                .newBuilder().setModelSpec(ModelSpec.newBuilder().setName("half_plus_two")).build());
        assertThat(r.getModelVersionStatusList()).singleElement().satisfies(s -> {
            assertThat(s.getVersion()).isEqualTo(1);
            assertThat(s.getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
            assertThat(s.getStatus().getErrorCode().getNumber()).isZero();
        });
    }

    @Test
    void kserveModelInferWithTypedContents() {
        var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        ModelInferResponse r = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("half_plus_two")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(3)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(1f).addFp32Contents(2f)
                                .addFp32Contents(5f)))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("y"))
                .build());
        assertThat(r.getModelName()).isEqualTo("half_plus_two");
        assertThat(r.getModelVersion()).isEqualTo("1");
        assertThat(r.getOutputs(0).getName()).isEqualTo("y");
        assertThat(r.getOutputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(r.getOutputs(0).getShapeList()).containsExactly(3L);
        FloatBufferView y = new FloatBufferView(r.getRawOutputContents(0));
        assertThat(y.values()).containsExactly(2.5f, 3f, 4.5f);
    }

    @Test
    void kserveModelInferWithRawContents() {
        ByteBuffer raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(10f).putFloat(0f).flip();
        ModelInferResponse r = GRPCInferenceServiceGrpc.newBlockingStub(channel).modelInfer(ModelInferRequest
                .newBuilder().setModelName("half_plus_two").setModelVersion("1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(2))
                .addRawInputContents(ByteString.copyFrom(raw)).build());
        int y = r.getOutputsList().stream().map(ModelInferResponse.InferOutputTensor::getName).toList().indexOf("y");
        assertThat(new FloatBufferView(r.getRawOutputContents(y)).values()).containsExactly(7f, 2f);
    }

    @Test
    void kserveModelMetadata() {
        ModelMetadataResponse md = GRPCInferenceServiceGrpc.newBlockingStub(channel).modelMetadata(
                ModelMetadataRequest.newBuilder().setName("half_plus_two").build());
        assertThat(md.getVersionsList()).containsExactly("1");
        assertThat(md.getInputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(md.getInputs(0).getShapeList()).containsExactly(-1L);
    }

    /** V2 raw contents: little-endian FP32 values. */
    private record FloatBufferView(ByteString bytes) {
        float[] values() {
            ByteBuffer b = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        }
    }
}
