package io.clusterserving.protocol.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Int64Value;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.manager.VersionState;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.protocol.grpc.tensorflow.SignatureDef;
import io.clusterserving.protocol.grpc.tfserving.SignatureDefMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtoMappingTest {

    @Test
    void modelSpecCarriesVersionOrLabel() {
        var withVersion = io.clusterserving.protocol.grpc.tfserving.ModelSpec.newBuilder().setName("m")
                .setVersion(Int64Value.of(3)).setSignatureName("sig").build();
        assertThat(ModelSpecCodec.toCore(withVersion)).isEqualTo(new ModelSpec("m", 3L, null, "sig"));
        var withLabel = io.clusterserving.protocol.grpc.tfserving.ModelSpec.newBuilder().setName("m")
                .setVersionLabel("stable").build();
        assertThat(ModelSpecCodec.toCore(withLabel)).isEqualTo(new ModelSpec("m", null, "stable", null));
        assertThat(ModelSpecCodec.toProto(new ModelSpec("m", null, "stable", null))).isEqualTo(withLabel);
        assertThatThrownBy(() -> ModelSpecCodec.toCore(io.clusterserving.protocol.grpc.tfserving.ModelSpec
                .getDefaultInstance())).hasMessageContaining("model name is missing");
    }

    @Test
    void signatureDefMapPacksUnderTfServingsTypeUrl() throws Exception {
        Signature sig = new Signature("serving_default", Signature.PREDICT_METHOD,
                List.of(new TensorSpec("x", DataType.FP32, new long[] {-1})),
                List.of(new TensorSpec("y", DataType.FP32, new long[] {-1}), new TensorSpec("u", DataType.BYTES, null)));
        SignatureDefMap map = SignatureDefCodec.toProto(Map.of("serving_default", sig));
        Any any = Any.pack(map);
        assertThat(any.getTypeUrl()).isEqualTo("type.googleapis.com/tensorflow.serving.SignatureDefMap");
        SignatureDef def = any.unpack(SignatureDefMap.class).getSignatureDefOrThrow("serving_default");
        assertThat(def.getMethodName()).isEqualTo("tensorflow/serving/predict");
        assertThat(def.getInputsOrThrow("x").getDtypeValue()).isEqualTo(1);
        assertThat(def.getInputsOrThrow("x").getTensorShape().getDim(0).getSize()).isEqualTo(-1);
        assertThat(def.getOutputsOrThrow("u").getTensorShape().getUnknownRank()).isTrue();
        assertThat(SignatureDefCodec.toCore(map).get("serving_default")).isEqualTo(sig);
    }

    @Test
    void statusRoundTrips() {
        var s = new ModelVersionStatus("m", 2, VersionState.END, StatusCode.NOT_FOUND, "gone", "onnx", null);
        var proto = ModelStatusCodec.toProto(s);
        assertThat(proto.getState().name()).isEqualTo("END");
        assertThat(proto.getStatus().getErrorCode().name()).isEqualTo("NOT_FOUND");
        assertThat(ModelStatusCodec.toCore("m", proto))
                .isEqualTo(new ModelVersionStatus("m", 2, VersionState.END, StatusCode.NOT_FOUND, "gone", null, null));
    }
}
