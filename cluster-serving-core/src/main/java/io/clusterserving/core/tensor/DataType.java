package io.clusterserving.core.tensor;

import io.clusterserving.core.error.ServingException;

/**
 * Element types, named as the V2 inference protocol names them. Each also knows its TensorFlow
 * {@code DataType} enum name and number so the TF Serving codecs need no second table.
 */
public enum DataType {
    BOOL(1, "DT_BOOL", 10),
    UINT8(1, "DT_UINT8", 4),
    UINT16(2, "DT_UINT16", 17),
    UINT32(4, "DT_UINT32", 22),
    UINT64(8, "DT_UINT64", 23),
    INT8(1, "DT_INT8", 6),
    INT16(2, "DT_INT16", 5),
    INT32(4, "DT_INT32", 3),
    INT64(8, "DT_INT64", 9),
    FP16(2, "DT_HALF", 19),
    FP32(4, "DT_FLOAT", 1),
    FP64(8, "DT_DOUBLE", 2),
    /** Variable-length byte strings; stored as 4-byte little-endian length + bytes per element. */
    BYTES(-1, "DT_STRING", 7);

    private final int byteSize;
    private final String tfName;
    private final int tfNumber;

    DataType(int byteSize, String tfName, int tfNumber) {
        this.byteSize = byteSize;
        this.tfName = tfName;
        this.tfNumber = tfNumber;
    }

    /** Bytes per element, or -1 for {@link #BYTES}. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFixedSize() {
        return byteSize > 0;
    }

    public boolean isFloatingPoint() {
        return this == FP16 || this == FP32 || this == FP64;
    }

    /** The V2 protocol name ("FP32", "BYTES", ...). */
    public String v2Name() {
        return name();
    }

    /** The TensorFlow enum name ("DT_FLOAT", ...). */
    public String tfName() {
        return tfName;
    }

    /** The TensorFlow enum number (tensorflow/core/framework/types.proto). */
    public int tfNumber() {
        return tfNumber;
    }

    public static DataType fromV2Name(String name) {
        try {
            return DataType.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ServingException.invalidArgument(
                    "unknown datatype '%s'; expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, "
                            + "INT32, INT64, FP16, FP32, FP64, BYTES", name);
        }
    }

    public static DataType fromTfName(String name) {
        for (DataType t : values()) {
            if (t.tfName.equals(name)) {
                return t;
            }
        }
        throw ServingException.invalidArgument("unsupported TensorFlow dtype '%s'", name);
    }

    public static DataType fromTfNumber(int number) {
        for (DataType t : values()) {
            if (t.tfNumber == number) {
                return t;
            }
        }
        throw ServingException.invalidArgument("unsupported TensorFlow dtype number %d", number);
    }
}
