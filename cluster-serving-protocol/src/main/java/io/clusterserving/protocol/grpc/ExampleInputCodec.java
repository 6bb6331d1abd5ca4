package io.clusterserving.protocol.grpc;

import com.google.protobuf.ByteString;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.protocol.grpc.tensorflow.Example;
import io.clusterserving.protocol.grpc.tensorflow.Feature;
import io.clusterserving.protocol.grpc.tfserving.Input;

import java.util.ArrayList;
import java.util.List;

/**
 * TF Serving's Classify/Regress {@code Input} (a list of tf.Examples, optionally with shared context)
 * → the core's Examples (what {@code InferenceService.classify/regress} take), or the 1-D string tensor of
 * serialized Examples that classify and regress signatures take.
 */
public final class ExampleInputCodec {
    private ExampleInputCodec() {
    }

    /** The examples of an Input and its context (null for a plain example_list). */
    public record Examples(List<io.clusterserving.core.model.Example> examples,
                           io.clusterserving.core.model.Example context) {
    }

    /** The Input's examples as core Examples; the context stays separate, the model merges it. */
    public static Examples toExamples(Input input) {
        List<Example> protos;
        io.clusterserving.core.model.Example context = null;
        switch (input.getKindCase()) {
            case EXAMPLE_LIST -> protos = input.getExampleList().getExamplesList();
            case EXAMPLE_LIST_WITH_CONTEXT -> {
                protos = input.getExampleListWithContext().getExamplesList();
                context = toCore(input.getExampleListWithContext().getContext());
            }
            default -> throw ServingException.invalidArgument(
                    "input is empty: set example_list or example_list_with_context");
        }
        if (protos.isEmpty()) {
            throw ServingException.invalidArgument("input has no examples");
        }
        List<io.clusterserving.core.model.Example> examples = new ArrayList<>(protos.size());
        for (Example e : protos) {
            examples.add(toCore(e));
        }
        return new Examples(examples, context);
    }

    /** One tf.Example proto as a core Example (a feature with no kind set becomes an empty float_list). */
    public static io.clusterserving.core.model.Example toCore(Example example) {
        io.clusterserving.core.model.Example.Builder b = io.clusterserving.core.model.Example.builder();
        example.getFeatures().getFeatureMap().forEach((name, f) -> b.feature(name, toCore(f)));
        return b.build();
    }

    private static io.clusterserving.core.model.Feature toCore(Feature f) {
        return switch (f.getKindCase()) {
            case FLOAT_LIST -> {
                List<Float> values = f.getFloatList().getValueList();
                float[] a = new float[values.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = values.get(i);
                }
                yield io.clusterserving.core.model.Feature.floats(a);
            }
            case INT64_LIST -> io.clusterserving.core.model.Feature.int64s(
                    f.getInt64List().getValueList().stream().mapToLong(Long::longValue).toArray());
            case BYTES_LIST -> io.clusterserving.core.model.Feature.bytes(
                    f.getBytesList().getValueList().stream().map(ByteString::toByteArray).toList());
            case KIND_NOT_SET -> io.clusterserving.core.model.Feature.floats();
        };
    }
}
