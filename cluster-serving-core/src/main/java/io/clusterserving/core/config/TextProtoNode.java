package io.clusterserving.core.config;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.TextFormatParseInfoTree;
import com.google.protobuf.TextFormatParseLocation;
import io.clusterserving.core.error.ServingException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message read from a TF Serving config file with protobuf's own {@link TextFormat}, with where each of
 * its fields was written, so that the checks protobuf does not make (names unique, versions positive, ...)
 * can name {@code <file>:<line>:<column>} like protobuf's own errors.
 *
 * @param source the file name errors start with
 * @param tree   where the fields of this message were written
 */
record TextProtoNode(String source, TextFormatParseInfoTree tree) implements FieldPlaces {
    private static final Pattern UNKNOWN_FIELD = Pattern.compile("^\\d+:\\d+:\\t(\\S+)\\.(\\w+)$", Pattern.MULTILINE);
    private static final Pattern ONEOF_TWICE = Pattern.compile(
            "Field \"\\S+\\.(\\w+)\" is specified along with field \"\\S+\\.(\\w+)\", another member of oneof \"(\\w+)\"\\.");
    private static final Pattern SET_TWICE = Pattern.compile("Non-repeated field \"\\S+\\.(\\w+)\" cannot be overwritten\\.");

    /**
     * Parses {@code text} into {@code target}. Unknown fields and a non-repeated field written twice are
     * errors, as in TF Serving.
     *
     * @throws ServingException INVALID_ARGUMENT {@code "<source>:<line>:<col>: <problem>"}
     */
    static TextProtoNode parse(String text, String source, Message.Builder target) {
        try {
            return parseOrThrow(text, source, target);
        } catch (TextFormat.ParseException e) {
            throw error(source, e, target.getDescriptorForType());
        }
    }

    /** {@link #parse}, leaving protobuf's exception to a caller that may retry. */
    static TextProtoNode parseOrThrow(String text, String source, Message.Builder target)
            throws TextFormat.ParseException {
        TextFormatParseInfoTree.Builder tree = TextFormatParseInfoTree.builder();
        TextFormat.Parser.newBuilder()
                .setSingularOverwritePolicy(TextFormat.Parser.SingularOverwritePolicy.FORBID_SINGULAR_OVERWRITES)
                .setParseInfoTreeBuilder(tree)
                .build()
                .merge(text, target);
        return new TextProtoNode(source, tree.build());
    }

    /** protobuf's parse error as ours: INVALID_ARGUMENT {@code "<source>:<line>:<col>: <problem>"}. */
    static ServingException error(String source, TextFormat.ParseException e, Descriptor root) {
        return ServingException.invalidArgument("%s:%d:%d: %s", source, e.getLine(), e.getColumn(), problem(e, root));
    }

    /** Whether the field was written. */
    boolean has(FieldDescriptor field) {
        return !tree.getLocations(field).isEmpty();
    }

    /** How many times the field was written (entries of a repeated or map field). */
    int count(FieldDescriptor field) {
        return tree.getLocations(field).size();
    }

    /** The {@code index}-th message written for a message field. */
    @Override
    public TextProtoNode child(FieldDescriptor field, int index) {
        return new TextProtoNode(source, tree.getNestedTree(field, index));
    }

    /** {@code <source>:<line>:<col>} of the {@code index}-th time the field was written. */
    @Override
    public String at(FieldDescriptor field, int index) {
        TextFormatParseLocation at = tree.getLocation(field, index);
        return source + ":" + (at.getLine() + 1) + ":" + (at.getColumn() + 1);
    }

    /** protobuf's message, with its wording for unknown fields and oneof/overwrite conflicts made ours. */
    private static String problem(TextFormat.ParseException e, Descriptor root) {
        String message = e.getMessage().replaceFirst("^\\d+:\\d+: ", "");
        Matcher unknown = UNKNOWN_FIELD.matcher(message);
        if (message.startsWith("Input contains unknown fields") && unknown.find()) {
            Descriptor type = find(root, unknown.group(1));
            if (type != null) {
                Set<String> known = new TreeSet<>();
                type.getFields().forEach(f -> known.add(f.getName()));
                return "unknown field '" + unknown.group(2) + "' in " + shortName(type) + "; known fields: " + known;
            }
        }
        Matcher oneof = ONEOF_TWICE.matcher(message);
        if (oneof.find()) {
            return "field '" + oneof.group(1) + "' is set together with '" + oneof.group(2) + "'; oneof '"
                    + oneof.group(3) + "' takes one of them";
        }
        Matcher twice = SET_TWICE.matcher(message);
        if (twice.find()) {
            return "field '" + twice.group(1) + "' is set more than once";
        }
        return message;
    }

    /** The message type with this full name, among {@code root} and the types its fields reach. */
    private static Descriptor find(Descriptor root, String fullName) {
        Deque<Descriptor> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            Descriptor d = queue.poll();
            if (!seen.add(d.getFullName())) {
                continue;
            }
            if (d.getFullName().equals(fullName)) {
                return d;
            }
            for (FieldDescriptor f : d.getFields()) {
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    queue.add(f.getMessageType());
                }
            }
        }
        return null;
    }

    /** "FileSystemStoragePathSourceConfig.ServableVersionPolicy.Latest": the name without the package. */
    private static String shortName(Descriptor type) {
        String pkg = type.getFile().getPackage();
        return pkg.isEmpty() ? type.getFullName() : type.getFullName().substring(pkg.length() + 1);
    }
}
