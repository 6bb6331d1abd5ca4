package io.clusterserving.flink.sql.provider;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.flink.sql.session.DataColumnText;
import io.clusterserving.flink.sql.session.TensorShapes;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps ML_PREDICT's rows to a signature's tensors and its outputs back to the model's OUTPUT columns.
 * Columns match tensors by name when every column names one, else by position. A scalar column is one
 * value ([1] for a (?) input, [1,1] for (?,1)); {@code ARRAY<FLOAT|DOUBLE|INT|BIGINT>} and a STRING of
 * numbers are one row of n values; a STRING feeding a string (BYTES) input is that string.
 */
public final class ColumnTensorMapping {
    private final ModelColumns inputColumns;
    private final ModelColumns outputColumns;
    private final List<TensorSpec> inputSpecs; // per input column
    private final List<String> outputTensors;  // per output column
    private final RowData.FieldGetter[] getters;

    private ColumnTensorMapping(ModelColumns inputColumns, ModelColumns outputColumns, List<TensorSpec> inputSpecs,
                       List<String> outputTensors) {
        this.inputColumns = inputColumns;
        this.outputColumns = outputColumns;
        this.inputSpecs = inputSpecs;
        this.outputTensors = outputTensors;
        this.getters = new RowData.FieldGetter[inputColumns.size()];
        for (int i = 0; i < getters.length; i++) {
            getters[i] = RowData.createFieldGetter(inputColumns.types().get(i), i);
        }
    }

    /** Fails at open time, naming columns and tensors, when the model's columns cannot map to the signature. */
    public static ColumnTensorMapping map(String modelName, Signature signature, ModelColumns inputs, ModelColumns outputs) {
        List<TensorSpec> inputSpecs = match("INPUT", modelName, inputs.names(), signature.inputs(), true);
        List<String> outputTensors = match("OUTPUT", modelName, outputs.names(), signature.outputs(), false)
                .stream().map(TensorSpec::name).toList();
        return new ColumnTensorMapping(inputs, outputs, inputSpecs, outputTensors);
    }

    private static List<TensorSpec> match(String what, String modelName, List<String> columns, List<TensorSpec> specs,
                                          boolean needAll) {
        Map<String, TensorSpec> byName = new HashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        if (columns.stream().allMatch(byName::containsKey) && (!needAll || columns.size() == specs.size())) {
            return columns.stream().map(byName::get).toList();
        }
        boolean positional = needAll ? columns.size() == specs.size() : columns.size() <= specs.size();
        if (!positional) {
            throw ServingException.invalidArgument("model '%s': %s columns %s match the signature's tensors %s "
                    + "neither by name nor by position (%d columns, %d tensors)", modelName, what, columns,
                    specs.stream().map(TensorSpec::toString).toList(), columns.size(), specs.size());
        }
        return List.copyOf(specs.subList(0, columns.size()));
    }

    /** The row's tensors; reads the row now, so the caller may reuse it afterwards. */
    public Map<String, Tensor> toTensors(RowData row) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < getters.length; i++) {
            String column = inputColumns.names().get(i);
            Object value = read(row, i);
            if (value == null) {
                throw ServingException.invalidArgument("input column '%s' is null", column);
            }
            TensorSpec spec = inputSpecs.get(i);
            try {
                tensors.put(spec.name(), toTensor(column, inputColumns.types().get(i), spec, value));
            } catch (ClassCastException e) {
                throw ServingException.invalidArgument("input column '%s' holds %s, not the model's INPUT type %s; "
                        + "declare the INPUT column with the table column's type or CAST it in a view", column,
                        value.getClass().getSimpleName(), inputColumns.types().get(i));
            }
        }
        return tensors;
    }

    /** One output row, in the OUTPUT columns' order. */
    public RowData toRow(Map<String, Tensor> outputs) {
        GenericRowData row = new GenericRowData(outputColumns.size());
        for (int i = 0; i < outputColumns.size(); i++) {
            String tensorName = outputTensors.get(i);
            Tensor tensor = outputs.get(tensorName);
            if (tensor == null) {
                throw ServingException.internal("the model returned no output '" + tensorName + "' for column '"
                        + outputColumns.names().get(i) + "'", null);
            }
            row.setField(i, toField(outputColumns.names().get(i), outputColumns.types().get(i), tensor));
        }
        return row;
    }

    /**
     * Flink 2.2 checks only that a descriptor column is implicitly castable to the model's INPUT type and passes
     * the table's value uncast (a DECIMAL literal reaches a DOUBLE input as DecimalData), so a generic row's
     * fields are read as what they are, not as what the model declares.
     */
    private Object read(RowData row, int i) {
        if (row instanceof GenericRowData generic) {
            return generic.getField(i);
        }
        return getters[i].getFieldOrNull(row);
    }

    private static Tensor toTensor(String column, LogicalType type, TensorSpec spec, Object value) {
        if (value instanceof StringData || value instanceof String) {
            String text = value.toString();
            if (spec.dtype() == DataType.BYTES) {
                return Tensor.ofStrings(TensorShapes.forRow(spec, 1), List.of(text));
            }
            return DataColumnText.toTensor(spec, DataColumnText.parse(text));
        }
        if (value instanceof Number number) {
            return DataColumnText.toTensor(spec, new double[] {number.doubleValue()});
        }
        if (value instanceof DecimalData decimal) {
            return DataColumnText.toTensor(spec, new double[] {decimal.toBigDecimal().doubleValue()});
        }
        if (value instanceof Boolean bool) {
            return DataColumnText.toTensor(spec, new double[] {bool ? 1 : 0});
        }
        if (value instanceof ArrayData array && type.getTypeRoot() == LogicalTypeRoot.ARRAY) {
            return DataColumnText.toTensor(spec, arrayValues(column, ((ArrayType) type).getElementType(), array));
        }
        throw ServingException.invalidArgument("input column '%s' has type %s; supported: numbers, BOOLEAN, STRING "
                + "and ARRAY<FLOAT|DOUBLE|INT|BIGINT>", column, type);
    }

    private static double[] arrayValues(String column, LogicalType elementType, ArrayData array) {
        int n = array.size();
        double[] values = new double[n];
        LogicalTypeRoot root = elementType.getTypeRoot();
        for (int i = 0; i < n; i++) {
            if (array.isNullAt(i)) {
                throw ServingException.invalidArgument("input column '%s' element %d is null", column, i);
            }
            values[i] = switch (root) {
                case FLOAT -> array.getFloat(i);
                case DOUBLE -> array.getDouble(i);
                case INTEGER -> array.getInt(i);
                case BIGINT -> array.getLong(i);
                case SMALLINT -> array.getShort(i);
                case TINYINT -> array.getByte(i);
                case BOOLEAN -> array.getBoolean(i) ? 1 : 0;
                default -> throw ServingException.invalidArgument("input column '%s' is ARRAY<%s>; supported element "
                        + "types: FLOAT, DOUBLE, INT, BIGINT", column, elementType);
            };
        }
        return values;
    }

    private static Object toField(String column, LogicalType type, Tensor tensor) {
        LogicalTypeRoot root = type.getTypeRoot();
        if (root == LogicalTypeRoot.VARCHAR || root == LogicalTypeRoot.CHAR) {
            if (tensor.dtype() == DataType.BYTES && tensor.elementCount() == 1) {
                return StringData.fromString(tensor.getString(0));
            }
            return StringData.fromString(DataColumnText.format(tensor));
        }
        if (root == LogicalTypeRoot.ARRAY) {
            return arrayField(column, ((ArrayType) type).getElementType(), tensor);
        }
        if (tensor.elementCount() < 1) {
            throw ServingException.internal("output for column '" + column + "' is empty", null);
        }
        if (tensor.dtype() == DataType.BYTES) {
            throw ServingException.invalidArgument("output column '%s' is %s but the model's output is a string; "
                    + "declare it STRING", column, type);
        }
        return scalarField(column, root, tensor, 0);
    }

    private static Object scalarField(String column, LogicalTypeRoot root, Tensor tensor, long i) {
        return switch (root) {
            case FLOAT -> tensor.getFloat(i);
            case DOUBLE -> tensor.getDouble(i);
            case INTEGER -> (int) tensor.getLong(i);
            case BIGINT -> tensor.getLong(i);
            case SMALLINT -> (short) tensor.getLong(i);
            case TINYINT -> (byte) tensor.getLong(i);
            case BOOLEAN -> tensor.getDouble(i) != 0;
            default -> throw ServingException.invalidArgument("output column '%s' has type %s; supported: FLOAT, "
                    + "DOUBLE, INT, BIGINT, SMALLINT, TINYINT, BOOLEAN, STRING and ARRAY of numbers", column, root);
        };
    }

    private static ArrayData arrayField(String column, LogicalType elementType, Tensor tensor) {
        int n = Math.toIntExact(tensor.elementCount());
        LogicalTypeRoot root = elementType.getTypeRoot();
        switch (root) {
            case FLOAT -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = tensor.getFloat(i);
                }
                return new GenericArrayData(v);
            }
            case DOUBLE -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = tensor.getDouble(i);
                }
                return new GenericArrayData(v);
            }
            case INTEGER -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (int) tensor.getLong(i);
                }
                return new GenericArrayData(v);
            }
            case BIGINT -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = tensor.getLong(i);
                }
                return new GenericArrayData(v);
            }
            case VARCHAR, CHAR -> {
                List<StringData> v = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    v.add(StringData.fromString(tensor.dtype() == DataType.BYTES ? tensor.getString(i) : element(tensor, i)));
                }
                return new GenericArrayData(v.toArray());
            }
            default -> throw ServingException.invalidArgument("output column '%s' is ARRAY<%s>; supported element "
                    + "types: FLOAT, DOUBLE, INT, BIGINT, STRING", column, elementType);
        }
    }

    private static String element(Tensor tensor, long i) {
        StringBuilder text = new StringBuilder();
        DataColumnText.appendElement(text, tensor, i);
        return text.toString();
    }
}
