package io.clusterserving.flink.sql.session;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Numbers as the seed's {@code data} column writes them (space- or comma-separated) and as it prints them. */
public final class DataColumnText {
    private DataColumnText() {
    }

    /** Splits on whitespace and commas; a token that is not a number fails naming its position. */
    public static double[] parse(String text) {
        if (text == null) {
            throw ServingException.invalidArgument("data is null");
        }
        String[] tokens = text.trim().split("[\\s,]+");
        List<Double> values = new ArrayList<>(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].isEmpty()) {
                continue;
            }
            try {
                values.add(Double.parseDouble(tokens[i]));
            } catch (NumberFormatException e) {
                throw ServingException.invalidArgument("data value %d is '%s', not a number", i + 1,
                        tokens[i].length() > 40 ? tokens[i].substring(0, 40) + "..." : tokens[i]);
            }
        }
        if (values.isEmpty()) {
            throw ServingException.invalidArgument("data holds no numbers");
        }
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** The values as one row of the input's dtype and shape. */
    public static Tensor toTensor(TensorSpec spec, double[] values) {
        long[] shape = TensorShapes.forRow(spec, values.length);
        return switch (spec.dtype()) {
            case FP32 -> {
                float[] f = new float[values.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) values[i];
                }
                yield Tensor.ofFloats(shape, f);
            }
            case FP64 -> Tensor.ofDoubles(shape, values);
            case INT32 -> {
                int[] v = new int[values.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (int) values[i];
                }
                yield Tensor.ofInts(shape, v);
            }
            case INT64 -> {
                long[] v = new long[values.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (long) values[i];
                }
                yield Tensor.ofLongs(shape, v);
            }
            case BOOL -> {
                boolean[] v = new boolean[values.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = values[i] != 0;
                }
                yield Tensor.ofBools(shape, v);
            }
            default -> throw ServingException.invalidArgument("input '%s' is %s; numbers map to FP32, FP64, INT32, "
                    + "INT64 or BOOL inputs", spec.name(), spec.dtype());
        };
    }

    /** Every element, comma-separated, each as Java prints its type (FP32 as Float.toString: 0.03932024, -2.2538425E-4). */
    public static String format(Tensor tensor) {
        StringBuilder text = new StringBuilder();
        long n = tensor.elementCount();
        for (long i = 0; i < n; i++) {
            if (i > 0) {
                text.append(',');
            }
            appendElement(text, tensor, i);
        }
        return text.toString();
    }

    /** Element i as {@link #format} writes it. */
    public static void appendElement(StringBuilder text, Tensor tensor, long i) {
        DataType dtype = tensor.dtype();
        switch (dtype) {
            case FP32, FP16 -> text.append(tensor.getFloat(i));
            case FP64 -> text.append(tensor.getDouble(i));
            case BOOL -> text.append(tensor.getBoolean(i));
            case BYTES -> text.append(tensor.getString(i));
            case UINT64 -> text.append(Long.toUnsignedString(tensor.getLong(i)));
            default -> text.append(tensor.getLong(i));
        }
    }
}
