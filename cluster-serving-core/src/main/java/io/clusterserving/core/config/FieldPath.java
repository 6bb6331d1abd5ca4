package io.clusterserving.core.config;

import com.google.protobuf.Descriptors.FieldDescriptor;

/**
 * The places of a message received as a whole (a gRPC request), named by field path:
 * {@code model_config_list.config[2].model_version_policy}.
 *
 * @param prefix the path of the message these fields belong to, ending in '.'; empty for the root
 */
public record FieldPath(String prefix) implements FieldPlaces {

    /** The places of a root message's fields. */
    public static FieldPath root() {
        return new FieldPath("");
    }

    @Override
    public FieldPath child(FieldDescriptor field, int index) {
        return new FieldPath(at(field, index) + ".");
    }

    @Override
    public String at(FieldDescriptor field, int index) {
        return prefix + field.getName() + (field.isRepeated() ? "[" + index + "]" : "");
    }
}
