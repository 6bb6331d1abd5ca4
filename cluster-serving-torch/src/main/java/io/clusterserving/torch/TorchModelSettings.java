package io.clusterserving.torch;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a TorchScript module is served, from the {@code options:} of its {@code model.yaml}.
 *
 * <p>A TorchScript {@code forward(Tensor, ...)} has no names and no typed shapes a server could read, so
 * the signature {@code serving_default} is described here. Every key is optional:
 * <pre>
 * options:
 *   input_names:  [a, b]              # forward's tensors, in order (default input0, input1, ...)
 *   input_dtypes: [FP32, INT64]       # V2 dtype names (default FP32 each)
 *   input_shapes: [[-1, 3], [-1]]     # -1 = free dimension (default: unknown rank, nothing checked)
 *   output_names: [scores, labels]    # the returned tensor, or the tuple/list elements, in order
 *   output_dtypes: [FP32, INT64]      # declared in metadata only; results carry libtorch's dtype
 *   output_shapes: [[-1, 2], [-1]]    # declared in metadata only (with input_shapes, enables batching)
 *   graph_optimizer: true             # libtorch's profiling graph optimizer (default true, libtorch's own)
 * </pre>
 * The number of inputs is the length of whichever of {@code input_names}, {@code input_dtypes} and
 * {@code input_shapes} are given (they must agree), else 1; likewise for outputs. A module returning a
 * tuple with more elements than outputs declared gives the extra ones as {@code output<i>}.
 * Input dtypes are FP32, FP64, FP16, INT8, INT32, INT64, UINT8 or BOOL.
 */
public record TorchModelSettings(List<TensorSpec> inputs, List<TensorSpec> outputs, boolean graphOptimizer) {
    public static final String INPUT_NAMES = "input_names";
    public static final String INPUT_DTYPES = "input_dtypes";
    public static final String INPUT_SHAPES = "input_shapes";
    public static final String OUTPUT_NAMES = "output_names";
    public static final String OUTPUT_DTYPES = "output_dtypes";
    public static final String OUTPUT_SHAPES = "output_shapes";
    public static final String GRAPH_OPTIMIZER = "graph_optimizer";
    private static final List<String> KNOWN = List.of(INPUT_NAMES, INPUT_DTYPES, INPUT_SHAPES, OUTPUT_NAMES,
            OUTPUT_DTYPES, OUTPUT_SHAPES, GRAPH_OPTIMIZER);

    public TorchModelSettings {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** @throws ServingException INVALID_ARGUMENT naming the option that is wrong */
    public static TorchModelSettings from(LoadContext context) {
        Map<String, Object> options = context.options();
        for (String key : options.keySet()) {
            if (!KNOWN.contains(key)) {
                throw ServingException.invalidArgument("unknown TorchScript option '%s' for model '%s'; known "
                        + "options are %s", key, context.modelName(), KNOWN);
            }
        }
        List<TensorSpec> inputs = specs(options, "input", INPUT_NAMES, INPUT_DTYPES, INPUT_SHAPES);
        for (TensorSpec in : inputs) {
            if (!TorchTensors.canFeed(in.dtype())) {
                throw ServingException.invalidArgument("option %s: input '%s' is %s; TorchScript inputs can be %s",
                        INPUT_DTYPES, in.name(), in.dtype(), TorchTensors.FEEDABLE);
            }
        }
        List<TensorSpec> outputs = specs(options, "output", OUTPUT_NAMES, OUTPUT_DTYPES, OUTPUT_SHAPES);
        return new TorchModelSettings(inputs, outputs, bool(options.get(GRAPH_OPTIMIZER), GRAPH_OPTIMIZER, true));
    }

    /** The one signature, {@code serving_default}, a predict signature. */
    public Signature signature() {
        return new Signature(Signature.DEFAULT_NAME, Signature.PREDICT_METHOD, inputs, outputs);
    }

    /** The served name of result tensor {@code index}: the declared one, or {@code output<index>} past them. */
    public String outputName(int index) {
        return index < outputs.size() ? outputs.get(index).name() : "output" + index;
    }

    private static List<TensorSpec> specs(Map<String, Object> options, String prefix, String namesKey,
                                          String dtypesKey, String shapesKey) {
        List<String> names = options.containsKey(namesKey) ? names(options.get(namesKey), namesKey) : null;
        List<DataType> dtypes = options.containsKey(dtypesKey) ? dtypes(options.get(dtypesKey), dtypesKey) : null;
        List<long[]> shapes = options.containsKey(shapesKey) ? shapes(options.get(shapesKey), shapesKey) : null;
        int count = -1;
        String countFrom = null;
        for (Object[] given : new Object[][] {{namesKey, names}, {dtypesKey, dtypes}, {shapesKey, shapes}}) {
            List<?> list = (List<?>) given[1];
            if (list == null) {
                continue;
            }
            if (count >= 0 && list.size() != count) {
                throw ServingException.invalidArgument("option %s lists %d %ss but %s lists %d", given[0],
                        list.size(), prefix, countFrom, count);
            }
            count = list.size();
            countFrom = (String) given[0];
        }
        if (count < 0) {
            count = 1;
        }
        List<TensorSpec> specs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            specs.add(new TensorSpec(names == null ? prefix + i : names.get(i),
                    dtypes == null ? DataType.FP32 : dtypes.get(i),
                    shapes == null ? null : shapes.get(i)));
        }
        return specs;
    }

    private static List<String> names(Object value, String key) {
        List<?> list = list(value, key);
        if (list.isEmpty()) {
            throw ServingException.invalidArgument("option %s is empty; list at least one name", key);
        }
        List<String> names = new ArrayList<>(list.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Object v = list.get(i);
            if (!(v instanceof String s) || s.isBlank()) {
                throw ServingException.invalidArgument("option %s[%d] must be a non-empty name, got '%s'", key, i, v);
            }
            if (!seen.add(s)) {
                throw ServingException.invalidArgument("option %s names '%s' twice", key, s);
            }
            names.add(s);
        }
        return names;
    }

    private static List<DataType> dtypes(Object value, String key) {
        List<?> list = list(value, key);
        List<DataType> dtypes = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object v = list.get(i);
            try {
                dtypes.add(DataType.fromV2Name(String.valueOf(v).trim().toUpperCase(Locale.ROOT)));
            } catch (ServingException e) {
                throw ServingException.invalidArgument("option %s[%d]: %s", key, i, e.getMessage());
            }
        }
        return dtypes;
    }

    private static List<long[]> shapes(Object value, String key) {
        List<?> list = list(value, key);
        List<long[]> shapes = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof List<?> dims)) {
                throw ServingException.invalidArgument("option %s[%d] must be a list of dimensions like [-1, 3], "
                        + "got '%s'", key, i, list.get(i));
            }
            long[] shape = new long[dims.size()];
            for (int d = 0; d < shape.length; d++) {
                Object dim = dims.get(d);
                if (!(dim instanceof Number n) || n.longValue() != n.doubleValue() || n.longValue() < -1) {
                    throw ServingException.invalidArgument("option %s[%d][%d] must be an integer >= -1 (-1 = free), "
                            + "got '%s'", key, i, d, dim);
                }
                shape[d] = n.longValue();
            }
            shapes.add(shape);
        }
        return shapes;
    }

    private static List<?> list(Object value, String key) {
        if (value instanceof List<?> l) {
            return l;
        }
        throw ServingException.invalidArgument("option %s must be a list, got '%s'", key,
                value instanceof Object[] a ? Arrays.toString(a) : value);
    }

    private static boolean bool(Object value, String key, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ServingException.invalidArgument("option %s is '%s'; expected true or false", key, value);
        };
    }
}
