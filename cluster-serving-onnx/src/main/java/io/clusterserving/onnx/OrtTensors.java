package io.clusterserving.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves tensors between our little-endian {@link Tensor} and ONNX Runtime's {@link OnnxTensor}.
 *
 * <p>Numeric inputs are copied once into a direct native-order buffer that ORT reads in place (no
 * second copy inside ORT). Outputs are copied once out of ORT's memory into a heap buffer that the
 * returned Tensor wraps. Our tensors are little-endian, so this assumes a little-endian host — true
 * for every platform the ORT jar ships natives for.
 *
 * <p>ORT's Java API passes string tensors as Java Strings, so BYTES elements travel as UTF-8 text:
 * byte strings that are not valid UTF-8 reach the model with replacement characters.
 */
final class OrtTensors {
    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("cluster-serving-onnx needs a little-endian host");
        }
    }

    private OrtTensors() {
    }

    /** True when ORT's Java API can create input tensors of this dtype (it has no unsigned 16/32/64-bit types). */
    static boolean canCreate(DataType dtype) {
        return dtype == DataType.BYTES || javaType(dtype) != null;
    }

    /**
     * A new ORT tensor holding a copy of {@code tensor}, numeric data copied into a direct buffer from
     * {@code scratch}'s {@code slot}; the caller closes it before the slot is used again.
     */
    static OnnxTensor toOrt(OrtEnvironment env, String inputName, Tensor tensor, DirectScratch scratch, int slot)
            throws OrtException {
        long[] shape = tensor.shape();
        if (tensor.dtype() == DataType.BYTES) {
            String[] values = new String[Math.toIntExact(tensor.elementCount())];
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getString(i);
            }
            return OnnxTensor.createTensor(env, values, shape);
        }
        OnnxJavaType type = javaType(tensor.dtype());
        if (type == null) {
            throw ServingException.unimplemented(
                    "input '%s' is %s, which ONNX Runtime's Java API cannot create tensors of", inputName, tensor.dtype());
        }
        ByteBuffer direct = scratch.take(slot, tensor.byteSize());
        direct.put(tensor.data()).flip();
        return OnnxTensor.createTensor(env, direct, shape, type);
    }

    /** True when an output of this dtype can be pre-allocated for ORT (fixed-size types ORT's Java API creates). */
    static boolean canPin(DataType dtype) {
        return dtype != DataType.BYTES && javaType(dtype) != null;
    }

    /** An ORT tensor over {@code direct} (native order) for ORT to write an output into; the caller closes it. */
    static OnnxTensor pinnedOutput(OrtEnvironment env, DataType dtype, ByteBuffer direct, long[] shape)
            throws OrtException {
        return OnnxTensor.createTensor(env, direct, shape, javaType(dtype));
    }

    /** Copies an ORT output into a Tensor of {@code dtype} (the dtype the signature declared). */
    static Tensor fromOrt(OnnxTensor value, DataType dtype) throws OrtException {
        long[] shape = value.getInfo().getShape();
        if (dtype == DataType.BYTES) {
            List<String> strings = new ArrayList<>(Math.toIntExact(Tensor.elementCount(shape)));
            flatten(value.getValue(), strings);
            return Tensor.ofStrings(shape, strings);
        }
        // ORT hands out a heap copy in native (= little-endian) order; wrap it without another copy.
        ByteBuffer bytes = value.getByteBuffer();
        return Tensor.wrap(dtype, shape, bytes);
    }

    private static OnnxJavaType javaType(DataType dtype) {
        return switch (dtype) {
            case FP32 -> OnnxJavaType.FLOAT;
            case FP64 -> OnnxJavaType.DOUBLE;
            case FP16 -> OnnxJavaType.FLOAT16;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            case UINT16, UINT32, UINT64, BYTES -> null;
        };
    }

    /** ORT returns string tensors as nested String arrays (or a lone String for a scalar). */
    private static void flatten(Object value, List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof String[] strings) {
            out.addAll(List.of(strings));
        } else if (value != null && value.getClass().isArray()) {
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                flatten(Array.get(value, i), out);
            }
        } else {
            throw new IllegalStateException("unexpected ORT string value " + value);
        }
    }
}
