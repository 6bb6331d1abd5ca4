package io.clusterserving.core.config;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.clusterserving.core.error.ServingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads TF Serving's {@code --batching_parameters_file}: a BatchingParameters message in protobuf
 * text format, parsed by protobuf's TextFormat over our {@code batching_parameters.proto}. Scalars may be
 * written in TF Serving's wrapper form {@code max_batch_size { value: 128 }} or plainly
 * {@code max_batch_size: 128}.
 *
 * <p>Used: {@code max_batch_size}, {@code batch_timeout_micros}, {@code max_enqueued_batches},
 * {@code num_batch_threads}, {@code allowed_batch_sizes} (repeated), {@code pad_variable_length_inputs}.
 * Unset fields take {@link BatchingParameters#defaults()}.
 *
 * <p>Accepted and ignored (logged once per file; they tune TF's own batch scheduler and have no
 * effect on ours, and are still checked for their types): {@code thread_pool_name}, {@code max_execution_batch_size},
 * {@code enable_large_batch_splitting}, {@code batch_padding_policy},
 * {@code low_priority_max_batch_size}, {@code low_priority_batch_timeout_micros},
 * {@code low_priority_max_enqueued_batches}, {@code low_priority_allowed_batch_sizes},
 * {@code mixed_priority_batching_policy}. Any other field is an error.
 *
 * <p>Validation, as TF Serving: sizes, queue bound and threads &gt; 0, timeout &gt;= 0,
 * {@code allowed_batch_sizes} strictly increasing with its last entry equal to {@code max_batch_size}.
 */
public final class BatchingParametersFile {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingParametersFile.class);

    /** TF Serving fields we parse for compatibility but do not act on. */
    static final Set<String> IGNORED = Set.of("thread_pool_name", "max_execution_batch_size",
            "enable_large_batch_splitting", "batch_padding_policy", "low_priority_max_batch_size",
            "low_priority_batch_timeout_micros", "low_priority_max_enqueued_batches",
            "low_priority_allowed_batch_sizes", "mixed_priority_batching_policy");
    private static final Descriptor TF_SERVING =
            io.clusterserving.core.config.tfserving.BatchingParameters.getDescriptor();
    /** A wrapper's scalar type, for a field written plainly. */
    private static final Map<String, FieldDescriptorProto.Type> SCALAR_OF_WRAPPER = Map.of(
            ".google.protobuf.Int64Value", FieldDescriptorProto.Type.TYPE_INT64,
            ".google.protobuf.BoolValue", FieldDescriptorProto.Type.TYPE_BOOL,
            ".google.protobuf.StringValue", FieldDescriptorProto.Type.TYPE_STRING);
    /** The field name in front of the value protobuf could not take: {@code max_batch_size: }. */
    private static final Pattern FIELD_BEFORE_VALUE = Pattern.compile("(\\w+)\\s*:\\s*\\z");

    private BatchingParametersFile() {
    }

    public static BatchingParameters read(Path file) {
        return parse(ConfigFiles.readText(file, "batching parameters file"), file.toString());
    }

    /**
     * Parses with TF Serving's schema; each field found written plainly where protobuf wanted its wrapper's
     * '{' is then declared a plain scalar and the text parsed again (at most once per wrapper field).
     */
    public static BatchingParameters parse(String text, String sourceName) {
        Set<String> plain = new HashSet<>();
        while (true) {
            Descriptor schema = schema(plain);
            DynamicMessage.Builder message = DynamicMessage.newBuilder(schema);
            try {
                TextProtoNode node = TextProtoNode.parseOrThrow(text, sourceName, message);
                return parameters(message.build(), node, sourceName);
            } catch (TextFormat.ParseException e) {
                String field = writtenPlainly(text, e, schema);
                if (field == null || !plain.add(field)) {
                    throw TextProtoNode.error(sourceName, e, schema);
                }
            }
        }
    }

    private static BatchingParameters parameters(Message m, TextProtoNode node, String sourceName) {
        Set<String> ignored = new TreeSet<>();
        for (String field : IGNORED) {
            if (node.has(m.getDescriptorForType().findFieldByName(field))) {
                ignored.add(field);
            }
        }
        if (!ignored.isEmpty()) {
            LOG.info("{}: ignoring TF batch-scheduler fields {}; they do not apply to this server", sourceName, ignored);
        }
        BatchingParameters d = BatchingParameters.defaults();
        FieldDescriptor allowedField = m.getDescriptorForType().findFieldByName("allowed_batch_sizes");
        List<Integer> allowed = new ArrayList<>();
        for (int i = 0; i < m.getRepeatedFieldCount(allowedField); i++) {
            allowed.add(toInt((Long) m.getRepeatedField(allowedField, i), allowedField, node));
        }
        BatchingParameters p = new BatchingParameters(
                intField(m, node, "max_batch_size").orElse(d.maxBatchSize()),
                value(m, node, "batch_timeout_micros").map(Long.class::cast).orElse(d.batchTimeoutMicros()),
                intField(m, node, "max_enqueued_batches").orElse(d.maxEnqueuedBatches()),
                intField(m, node, "num_batch_threads").orElse(d.numBatchThreads()),
                allowed,
                value(m, node, "pad_variable_length_inputs").map(Boolean.class::cast)
                        .orElse(d.padVariableLengthInputs()));
        return BatchingRules.validate(p, field -> where(m, node, sourceName, field));
    }

    private static Optional<Integer> intField(Message m, TextProtoNode node, String name) {
        FieldDescriptor field = m.getDescriptorForType().findFieldByName(name);
        return value(m, node, name).map(v -> toInt((Long) v, field, node));
    }

    /** A field's value as written, wrapped or plain; an empty wrapper is the proto default, as TF Serving reads it. */
    private static Optional<Object> value(Message m, TextProtoNode node, String name) {
        FieldDescriptor field = m.getDescriptorForType().findFieldByName(name);
        if (!node.has(field)) {
            return Optional.empty();
        }
        Object v = m.getField(field);
        if (v instanceof Message wrapper) {
            return Optional.of(wrapper.getField(wrapper.getDescriptorForType().findFieldByName("value")));
        }
        return Optional.of(v);
    }

    private static int toInt(long value, FieldDescriptor field, TextProtoNode node) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw node.error(field, 0, "field '" + field.getName() + "': expected an integer in 32-bit range, got "
                    + value);
        }
        return (int) value;
    }

    private static String where(Message m, TextProtoNode node, String sourceName, String name) {
        FieldDescriptor field = m.getDescriptorForType().findFieldByName(name);
        return (node.has(field) ? node.at(field, 0) : sourceName + ":1:1") + ": " + name;
    }

    /**
     * The wrapper field protobuf found written plainly ({@code name: 3} where it wanted '{'), else null: the
     * name in front of the value protobuf stopped at, on its line or an earlier one.
     */
    private static String writtenPlainly(String text, TextFormat.ParseException e, Descriptor schema) {
        if (!e.getMessage().endsWith("Expected \"{\".")) {
            return null;
        }
        Matcher name = FIELD_BEFORE_VALUE.matcher(text.substring(0, offset(text, e.getLine(), e.getColumn())));
        if (!name.find()) {
            return null;
        }
        FieldDescriptor field = schema.findFieldByName(name.group(1));
        return field != null && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && SCALAR_OF_WRAPPER.containsKey("." + field.getMessageType().getFullName()) ? field.getName() : null;
    }

    /** The index in {@code text} of protobuf's 1-based line and column, within the text. */
    private static int offset(String text, int line, int column) {
        int at = 0;
        for (int l = 1; l < line && at < text.length(); l++) {
            int newline = text.indexOf('\n', at);
            at = newline < 0 ? text.length() : newline + 1;
        }
        return Math.min(text.length(), at + Math.max(0, column - 1));
    }

    /** TF Serving's BatchingParameters with the {@code plain} fields declared as their wrappers' scalars. */
    private static Descriptor schema(Set<String> plain) {
        if (plain.isEmpty()) {
            return TF_SERVING;
        }
        FileDescriptorProto.Builder file = TF_SERVING.getFile().toProto().toBuilder();
        DescriptorProto.Builder message = file.getMessageTypeBuilderList().stream()
                .filter(t -> t.getName().equals(TF_SERVING.getName())).findFirst().orElseThrow();
        for (FieldDescriptorProto.Builder field : message.getFieldBuilderList()) {
            if (plain.contains(field.getName())) {
                field.setType(SCALAR_OF_WRAPPER.get(field.getTypeName())).clearTypeName();
            }
        }
        try {
            FileDescriptor built = FileDescriptor.buildFrom(file.build(),
                    TF_SERVING.getFile().getDependencies().toArray(new FileDescriptor[0]));
            return built.findMessageTypeByName(TF_SERVING.getName());
        } catch (DescriptorValidationException e) {
            throw ServingException.internal("cannot declare plain batching fields " + plain + ": " + e.getMessage(), e);
        }
    }
}
