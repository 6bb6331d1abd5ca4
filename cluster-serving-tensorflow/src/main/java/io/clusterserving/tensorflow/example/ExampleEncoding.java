package io.clusterserving.tensorflow.example;

import com.google.protobuf.ByteString;
import io.clusterserving.core.model.Example;
import io.clusterserving.core.model.Feature;
import io.clusterserving.protocol.grpc.tensorflow.BytesList;
import io.clusterserving.protocol.grpc.tensorflow.Features;
import io.clusterserving.protocol.grpc.tensorflow.FloatList;
import io.clusterserving.protocol.grpc.tensorflow.Int64List;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Converts the core's {@link Example} to {@code tf.Example} protos (the way back is
 * {@link io.clusterserving.protocol.grpc.ExampleInputCodec#toCore}), and serializes a request's
 * examples as the string vector a classify or regress signature takes.
 */
public final class ExampleEncoding {
    private ExampleEncoding() {
    }

    public static io.clusterserving.protocol.grpc.tensorflow.Example toProto(Example example) {
        Features.Builder features = Features.newBuilder();
        for (Map.Entry<String, Feature> e : example.features().entrySet()) {
            features.putFeature(e.getKey(), toProto(e.getValue()));
        }
        return io.clusterserving.protocol.grpc.tensorflow.Example.newBuilder().setFeatures(features).build();
    }

    static io.clusterserving.protocol.grpc.tensorflow.Feature toProto(Feature feature) {
        io.clusterserving.protocol.grpc.tensorflow.Feature.Builder b = io.clusterserving.protocol.grpc.tensorflow.Feature.newBuilder();
        // Java 17 has no pattern switch; the three kinds are all there are (Feature is sealed).
        if (feature instanceof Feature.FloatList f) {
            FloatList.Builder list = FloatList.newBuilder();
            for (float v : f.values()) {
                list.addValue(v);
            }
            b.setFloatList(list);
        } else if (feature instanceof Feature.Int64List f) {
            Int64List.Builder list = Int64List.newBuilder();
            for (long v : f.values()) {
                list.addValue(v);
            }
            b.setInt64List(list);
        } else if (feature instanceof Feature.BytesList f) {
            BytesList.Builder list = BytesList.newBuilder();
            for (byte[] v : f.values()) {
                list.addValue(ByteString.copyFrom(v));
            }
            b.setBytesList(list);
        }
        return b.build();
    }

    /**
     * Each example serialized, with {@code context} (may be null) merged in first as TF Serving's
     * {@code ExampleListWithContext} does: serialized protos concatenate into their merge, and for a
     * feature name in both, the example's own value wins.
     */
    public static List<byte[]> serialize(List<Example> examples, Example context) {
        byte[] contextBytes = context == null || context.features().isEmpty() ? new byte[0]
                : toProto(context).toByteArray();
        List<byte[]> out = new ArrayList<>(examples.size());
        for (Example example : examples) {
            byte[] own = toProto(example).toByteArray();
            if (contextBytes.length == 0) {
                out.add(own);
            } else {
                byte[] merged = new byte[contextBytes.length + own.length];
                System.arraycopy(contextBytes, 0, merged, 0, contextBytes.length);
                System.arraycopy(own, 0, merged, contextBytes.length, own.length);
                out.add(merged);
            }
        }
        return out;
    }
}
