package io.clusterserving.protocol.grpc;

import com.google.protobuf.Int64Value;
import io.clusterserving.core.model.ModelSpec;

/** TF Serving's {@code tensorflow.serving.ModelSpec} ⇄ core {@link ModelSpec}. */
public final class ModelSpecCodec {
    private ModelSpecCodec() {
    }

    /** INVALID_ARGUMENT when the name is missing. */
    public static ModelSpec toCore(io.clusterserving.protocol.grpc.tfserving.ModelSpec proto) {
        Long version = proto.hasVersion() ? proto.getVersion().getValue() : null;
        String label = proto.getVersionLabel().isEmpty() ? null : proto.getVersionLabel();
        return new ModelSpec(proto.getName(), version, label, proto.getSignatureName());
    }

    public static io.clusterserving.protocol.grpc.tfserving.ModelSpec toProto(ModelSpec spec) {
        var b = io.clusterserving.protocol.grpc.tfserving.ModelSpec.newBuilder().setName(spec.name());
        if (spec.version() != null) {
            b.setVersion(Int64Value.of(spec.version()));
        } else if (spec.label() != null) {
            b.setVersionLabel(spec.label());
        }
        if (spec.signatureName() != null) {
            b.setSignatureName(spec.signatureName());
        }
        return b.build();
    }

    /** The spec a response carries: the model, the version that served it and, if given, the signature. */
    public static io.clusterserving.protocol.grpc.tfserving.ModelSpec served(String name, long version,
                                                                             String signatureName) {
        var b = io.clusterserving.protocol.grpc.tfserving.ModelSpec.newBuilder()
                .setName(name)
                .setVersion(Int64Value.of(version));
        if (signatureName != null) {
            b.setSignatureName(signatureName);
        }
        return b.build();
    }
}
