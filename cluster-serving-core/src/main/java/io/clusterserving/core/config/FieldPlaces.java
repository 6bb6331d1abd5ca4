package io.clusterserving.core.config;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.clusterserving.core.error.ServingException;

/**
 * Where the fields of one config message were given, so that a rule broken by a field can say where:
 * {@code <file>:<line>:<col>} for a text file ({@link TextProtoNode}), the field's path for a message
 * received over the wire ({@link FieldPath}).
 */
public interface FieldPlaces {

    /** The places of the fields of the {@code index}-th message given for a message field. */
    FieldPlaces child(FieldDescriptor field, int index);

    /** Where the {@code index}-th value of the field was given. */
    String at(FieldDescriptor field, int index);

    /** An INVALID_ARGUMENT error at the {@code index}-th value of the field. */
    default ServingException error(FieldDescriptor field, int index, String problem) {
        return ServingException.invalidArgument("%s: %s", at(field, index), problem);
    }
}
