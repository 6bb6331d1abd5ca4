package io.clusterserving.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the optional per-model {@code <base>/<model>/model.yaml}. Every key is optional; an absent
 * key means "use the server-wide setting". Keys:
 * <pre>
 * format: onnx                  # format override: onnx | tensorflow | pmml | torchscript (or a TF Serving
 *                               # model_platform alias); default: detected from the version directory
 * version_policy:               # exactly one of:
 *   latest: 2                   #   the newest N versions (N >= 1)
 *   all: true                   #   every version
 *   specific: [1, 3]            #   exactly these versions (positive, non-empty)
 * batching:                     # the block's presence turns batching on unless enabled: false
 *   enabled: true               #   default true when the block is present
 *   max_batch_size: 64          #   > 0    (unset parameters take BatchingParameters.defaults();
 *   batch_timeout_micros: 1000  #   >= 0    a block with no parameters keeps the server-wide ones)
 *   max_enqueued_batches: 100   #   > 0
 *   num_batch_threads: 2        #   > 0
 *   allowed_batch_sizes: [8, 64] #  strictly increasing, last == max_batch_size
 *   pad_variable_length_inputs: false
 * instances: 2                  # loaded copies per version, round-robin (>= 1)
 * intra_op_threads: 1           # runtime threads inside an op (>= 0; 0 = server default)
 * inter_op_threads: 1           # runtime threads across ops (>= 0; 0 = server default)
 * default_signature: serving_default   # signature used when a request names none
 * description: "text shown in stats"
 * options: {any: value}         # format-specific options, passed to the format as they are
 * </pre>
 * Unknown keys, duplicate keys and values of the wrong type are INVALID_ARGUMENT errors naming the
 * key, prefixed {@code "model.yaml of <dir>: "}.
 */
public final class ModelYaml {
    public static final String FILE_NAME = "model.yaml";

    private static final Set<String> KEYS = new LinkedHashSet<>(List.of("format", "version_policy", "batching",
            "instances", "intra_op_threads", "inter_op_threads", "default_signature", "description", "options"));
    private static final Set<String> POLICY_KEYS = new LinkedHashSet<>(List.of("latest", "all", "specific"));
    private static final Set<String> BATCHING_KEYS = new LinkedHashSet<>(List.of("enabled", "max_batch_size",
            "batch_timeout_micros", "max_enqueued_batches", "num_batch_threads", "allowed_batch_sizes",
            "pad_variable_length_inputs"));

    private final String where;

    private ModelYaml(Path modelBaseDir) {
        this.where = "model.yaml of " + modelBaseDir;
    }

    /**
     * The options of the model whose base directory is {@code modelBaseDir}.
     *
     * @return {@link ModelSettings#none()} when there is no model.yaml (or it is empty)
     * @throws ServingException INVALID_ARGUMENT for a malformed file, INTERNAL when it cannot be read
     */
    public static ModelSettings read(Path modelBaseDir) {
        Path file = modelBaseDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return ModelSettings.none();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ServingException.internal("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, modelBaseDir);
    }

    /** Parses model.yaml text; {@code modelBaseDir} only names the model in error messages. */
    public static ModelSettings parse(String text, Path modelBaseDir) {
        return new ModelYaml(modelBaseDir).parse(text);
    }

    private ModelSettings parse(String text) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String at = loc == null ? "" : " at line " + loc.getLineNr() + " column " + loc.getColumnNr();
            throw new ServingException(StatusCode.INVALID_ARGUMENT,
                    where + ": not valid YAML" + at + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return ModelSettings.none();
        }
        if (!root.isObject()) {
            throw error("expected a mapping of keys at the top level, got " + describe(root));
        }
        checkKeys(root, KEYS, "");

        String format = optionalString(root, "format");
        JsonNode policyNode = root.get("version_policy");
        VersionPolicy policy = policyNode == null || policyNode.isNull() ? null : policy(policyNode);
        BatchingParameters batching = null;
        Boolean batchingEnabled = null;
        JsonNode batchingNode = root.get("batching");
        if (batchingNode != null && !batchingNode.isNull()) {
            if (!batchingNode.isObject()) {
                throw error("key 'batching': expected a mapping, got " + describe(batchingNode));
            }
            checkKeys(batchingNode, BATCHING_KEYS, "batching.");
            batchingEnabled = batchingNode.has("enabled") ? bool(batchingNode.get("enabled"), "batching.enabled") : true;
            batching = batchingParameters((ObjectNode) batchingNode);
        }
        int instances = optionalInt(root, "instances", 1);
        int intra = optionalInt(root, "intra_op_threads", 0);
        int inter = optionalInt(root, "inter_op_threads", 0);
        String signature = optionalString(root, "default_signature");
        String description = optionalString(root, "description");
        Map<String, Object> options = options(root.get("options"), mapper);
        return new ModelSettings(format, policy, batching, batchingEnabled, instances, intra, inter, signature,
                description, options);
    }

    private VersionPolicy policy(JsonNode node) {
        if (!node.isObject() || node.size() != 1) {
            throw error("key 'version_policy': expected a mapping with exactly one of " + POLICY_KEYS
                    + " (e.g. {latest: 2}), got " + describe(node));
        }
        checkKeys(node, POLICY_KEYS, "version_policy.");
        String kind = node.fieldNames().next();
        JsonNode value = node.get(kind);
        switch (kind) {
            case "latest":
                return new VersionPolicy.Latest(intValue(value, "version_policy.latest", 1));
            case "all":
                if (!bool(value, "version_policy.all")) {
                    throw error("key 'version_policy.all': only 'all: true' is meaningful; remove version_policy"
                            + " for the default (latest 1)");
                }
                return new VersionPolicy.All();
            default: {
                if (!value.isArray() || value.isEmpty()) {
                    throw error("key 'version_policy.specific': expected a non-empty list of versions, got "
                            + describe(value));
                }
                Set<Long> versions = new LinkedHashSet<>();
                for (int i = 0; i < value.size(); i++) {
                    JsonNode v = value.get(i);
                    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
                        throw error("key 'version_policy.specific[" + i + "]': expected a positive integer version,"
                                + " got " + describe(v));
                    }
                    versions.add(v.asLong());
                }
                return new VersionPolicy.Specific(versions);
            }
        }
    }

    /** Parameters from the block merged over defaults(); null when it sets none (server-wide ones apply). */
    private BatchingParameters batchingParameters(ObjectNode node) {
        boolean anyParameter = false;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            anyParameter |= !it.next().equals("enabled");
        }
        if (!anyParameter) {
            return null;
        }
        BatchingParameters d = BatchingParameters.defaults();
        List<Integer> allowed = new ArrayList<>();
        JsonNode allowedNode = node.get("allowed_batch_sizes");
        if (allowedNode != null) {
            if (!allowedNode.isArray()) {
                throw error("key 'batching.allowed_batch_sizes': expected a list of integers, got "
                        + describe(allowedNode));
            }
            for (int i = 0; i < allowedNode.size(); i++) {
                allowed.add(intValue(allowedNode.get(i), "batching.allowed_batch_sizes[" + i + "]", 1));
            }
        }
        BatchingParameters p = new BatchingParameters(
                optionalInt(node, "max_batch_size", d.maxBatchSize(), "batching."),
                node.has("batch_timeout_micros")
                        ? longValue(node.get("batch_timeout_micros"), "batching.batch_timeout_micros", 0)
                        : d.batchTimeoutMicros(),
                optionalInt(node, "max_enqueued_batches", d.maxEnqueuedBatches(), "batching."),
                optionalInt(node, "num_batch_threads", d.numBatchThreads(), "batching."),
                allowed,
                node.has("pad_variable_length_inputs")
                        ? bool(node.get("pad_variable_length_inputs"), "batching.pad_variable_length_inputs")
                        : d.padVariableLengthInputs());
        return BatchingRules.validate(p, field -> where + ": key 'batching." + field + "'");
    }

    private Map<String, Object> options(JsonNode node, ObjectMapper mapper) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw error("key 'options': expected a mapping, got " + describe(node));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                throw error("key 'options." + e.getKey() + "': expected a value, got null");
            }
            out.put(e.getKey(), mapper.convertValue(e.getValue(), Object.class));
        }
        return out;
    }

    // ---- typed access ----------------------------------------------------------------------------

    private void checkKeys(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw error("unknown key '" + prefix + key + "'; known keys: " + String.join(", ", known));
            }
        }
    }

    private String optionalString(JsonNode parent, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw error("key '" + key + "': expected a non-empty string, got " + describe(node));
        }
        return node.asText().trim();
    }

    private int optionalInt(JsonNode parent, String key, int fallback) {
        return optionalInt(parent, key, fallback, "");
    }

    private int optionalInt(JsonNode parent, String key, int fallback, String prefix) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        int min = key.endsWith("_threads") && prefix.isEmpty() ? 0 : 1;
        return intValue(node, prefix + key, min);
    }

    private int intValue(JsonNode node, String key, int min) {
        long v = longValue(node, key, min);
        if (v > Integer.MAX_VALUE) {
            throw error("key '" + key + "': expected an integer up to " + Integer.MAX_VALUE + ", got " + v);
        }
        return (int) v;
    }

    private long longValue(JsonNode node, String key, long min) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw error("key '" + key + "': expected an integer, got " + describe(node));
        }
        long v = node.asLong();
        if (v < min) {
            throw error("key '" + key + "': expected an integer >= " + min + ", got " + v);
        }
        return v;
    }

    private boolean bool(JsonNode node, String key) {
        if (!node.isBoolean()) {
            throw error("key '" + key + "': expected true or false, got " + describe(node));
        }
        return node.asBoolean();
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "string \"" + node.asText() + "\"";
        }
        if (node.isObject()) {
            return "a mapping " + node;
        }
        if (node.isArray()) {
            return "a list " + node;
        }
        if (node.isNull()) {
            return "null";
        }
        return (node.isNumber() ? "number " : node.isBoolean() ? "boolean " : "") + node;
    }

    private ServingException error(String message) {
        return ServingException.invalidArgument("%s: %s", where, message);
    }
}
