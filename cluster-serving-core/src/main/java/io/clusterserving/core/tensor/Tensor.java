package io.clusterserving.core.tensor;

import io.clusterserving.core.error.ServingException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable n-dimensional array: a {@link DataType}, a shape and contiguous little-endian bytes.
 *
 * <p>One representation end to end, so binary paths (V2 binary extension, gRPC raw contents,
 * TensorProto {@code tensor_content}, ONNX Runtime direct buffers) copy only when they must.
 * {@link DataType#BYTES} elements are stored as the V2 binary extension serializes them: a 4-byte
 * little-endian length followed by the bytes, element after element.
 */
public final class Tensor {
    private final DataType dtype;
    private final long[] shape;
    private final ByteBuffer data; // position 0, limit = byte length, little-endian, never mutated
    private final long elementCount;
    private volatile int[] byteOffsets; // BYTES only: start of each element's length prefix

    private Tensor(DataType dtype, long[] shape, ByteBuffer data, int[] byteOffsets) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
        this.elementCount = elementCount(shape);
        this.byteOffsets = byteOffsets;
    }

    /**
     * Wraps little-endian bytes (from position to limit) without copying. The caller must not change
     * the buffer afterwards. Sizes are checked: fixed-size types need exactly count × size bytes,
     * BYTES needs exactly count length-prefixed elements.
     */
    public static Tensor wrap(DataType dtype, long[] shape, ByteBuffer bytes) {
        long[] s = checkShape(shape);
        ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        long count = elementCount(s);
        if (dtype.isFixedSize()) {
            long expected = count * dtype.byteSize();
            if (b.remaining() != expected) {
                throw ServingException.invalidArgument(
                        "%s tensor of shape %s needs %d bytes, got %d", dtype, Arrays.toString(s), expected,
                        b.remaining());
            }
            return new Tensor(dtype, s, b, null);
        }
        return new Tensor(dtype, s, b, indexBytes(b, count, s));
    }

    public static Tensor ofFloats(long[] shape, float... values) {
        ByteBuffer b = allocate(values.length * 4L);
        b.asFloatBuffer().put(values);
        return sized(DataType.FP32, shape, b, values.length);
    }

    public static Tensor ofDoubles(long[] shape, double... values) {
        ByteBuffer b = allocate(values.length * 8L);
        b.asDoubleBuffer().put(values);
        return sized(DataType.FP64, shape, b, values.length);
    }

    public static Tensor ofInts(long[] shape, int... values) {
        ByteBuffer b = allocate(values.length * 4L);
        b.asIntBuffer().put(values);
        return sized(DataType.INT32, shape, b, values.length);
    }

    public static Tensor ofLongs(long[] shape, long... values) {
        ByteBuffer b = allocate(values.length * 8L);
        b.asLongBuffer().put(values);
        return sized(DataType.INT64, shape, b, values.length);
    }

    public static Tensor ofBools(long[] shape, boolean... values) {
        ByteBuffer b = allocate(values.length);
        for (boolean v : values) {
            b.put((byte) (v ? 1 : 0));
        }
        b.flip();
        return sized(DataType.BOOL, shape, b, values.length);
    }

    public static Tensor ofStrings(long[] shape, List<String> values) {
        return ofByteStrings(shape, values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList());
    }

    public static Tensor ofByteStrings(long[] shape, List<byte[]> values) {
        long size = 0;
        for (byte[] v : values) {
            size += 4L + v.length;
        }
        ByteBuffer b = allocate(size);
        int[] offsets = new int[values.size()];
        for (int i = 0; i < values.size(); i++) {
            offsets[i] = b.position();
            byte[] v = values.get(i);
            b.putInt(v.length).put(v);
        }
        b.flip();
        long[] s = checkShape(shape);
        if (elementCount(s) != values.size()) {
            throw ServingException.invalidArgument("shape %s holds %d elements, got %d values",
                    Arrays.toString(s), elementCount(s), values.size());
        }
        return new Tensor(DataType.BYTES, s, b, offsets);
    }

    /** A tensor whose bytes the caller fills: returns a writable little-endian buffer via {@link TensorBuilder}. */
    public static TensorBuilder builder(DataType dtype, long[] shape) {
        return new TensorBuilder(dtype, checkShape(shape));
    }

    public DataType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public long elementCount() {
        return elementCount;
    }

    /** The bytes, read-only, little-endian, position 0. */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public int byteSize() {
        return data.limit();
    }

    /** Copies the bytes into a new array. */
    public byte[] toByteArray() {
        byte[] out = new byte[data.limit()];
        data.duplicate().get(out);
        return out;
    }

    public float getFloat(long i) {
        return switch (dtype) {
            case FP32 -> data.getFloat(index(i) * 4);
            default -> (float) getDouble(i);
        };
    }

    /** Element i as a double, whatever the numeric type (BOOL as 0/1, unsigned types unsigned). */
    public double getDouble(long i) {
        int k = index(i);
        return switch (dtype) {
            case FP64 -> data.getDouble(k * 8);
            case FP32 -> data.getFloat(k * 4);
            case FP16 -> HalfFloat.toFloat(data.getShort(k * 2));
            case UINT64 -> {
                long v = data.getLong(k * 8);
                yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
            }
            case BYTES -> throw ServingException.invalidArgument("BYTES tensor has no numeric value");
            default -> getLong(i);
        };
    }

    /** Element i as a long for integer and BOOL types (UINT64 above 2^63 wraps, as Java's long does). */
    public long getLong(long i) {
        int k = index(i);
        return switch (dtype) {
            case BOOL, INT8 -> data.get(k);
            case UINT8 -> data.get(k) & 0xFFL;
            case INT16 -> data.getShort(k * 2);
            case UINT16 -> data.getShort(k * 2) & 0xFFFFL;
            case INT32 -> data.getInt(k * 4);
            case UINT32 -> data.getInt(k * 4) & 0xFFFF_FFFFL;
            case INT64, UINT64 -> data.getLong(k * 8);
            case FP16, FP32, FP64 -> (long) getDouble(i);
            case BYTES -> throw ServingException.invalidArgument("BYTES tensor has no numeric value");
        };
    }

    public boolean getBoolean(long i) {
        return getLong(i) != 0;
    }

    /** Element i of a BYTES tensor. */
    public byte[] getBytes(long i) {
        if (dtype != DataType.BYTES) {
            throw ServingException.invalidArgument("%s tensor has no byte-string elements", dtype);
        }
        int at = offsets()[index(i)];
        int len = data.getInt(at);
        byte[] out = new byte[len];
        data.get(at + 4, out);
        return out;
    }

    public String getString(long i) {
        return new String(getBytes(i), StandardCharsets.UTF_8);
    }

    /** Number of rows along dimension 0 (1 for a scalar). */
    public long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Rows [from, to) along dimension 0, sharing this tensor's bytes. */
    public Tensor sliceRows(long from, long to) {
        if (shape.length == 0) {
            throw ServingException.invalidArgument("cannot slice a scalar tensor");
        }
        if (from < 0 || to > shape[0] || from > to) {
            throw ServingException.invalidArgument("row range [%d, %d) is outside [0, %d)", from, to, shape[0]);
        }
        long[] s = shape.clone();
        s[0] = to - from;
        long perRow = shape[0] == 0 ? 0 : elementCount / shape[0];
        if (dtype.isFixedSize()) {
            int start = Math.toIntExact(from * perRow * dtype.byteSize());
            int end = Math.toIntExact(to * perRow * dtype.byteSize());
            return new Tensor(dtype, s, data.slice(start, end - start).order(ByteOrder.LITTLE_ENDIAN), null);
        }
        int[] off = offsets();
        int firstEl = Math.toIntExact(from * perRow);
        int lastEl = Math.toIntExact(to * perRow);
        int start = firstEl < off.length ? off[firstEl] : data.limit();
        int end = lastEl < off.length ? off[lastEl] : data.limit();
        int[] sub = new int[lastEl - firstEl];
        for (int j = 0; j < sub.length; j++) {
            sub[j] = off[firstEl + j] - start;
        }
        return new Tensor(dtype, s, data.slice(start, end - start).order(ByteOrder.LITTLE_ENDIAN), sub);
    }

    /**
     * Concatenates tensors along dimension 0. All must share dtype and the trailing dimensions.
     * With {@code padToRows} larger than the total, the last row is repeated to fill (TF Serving's
     * batch padding for {@code allowed_batch_sizes}).
     */
    public static Tensor concatRows(List<Tensor> parts, long padToRows) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        Tensor first = parts.get(0);
        if (first.rank() == 0) {
            throw ServingException.invalidArgument("cannot batch scalar tensors");
        }
        long rows = 0;
        long bytes = 0;
        for (Tensor t : parts) {
            if (t.dtype != first.dtype) {
                throw ServingException.invalidArgument("cannot batch %s with %s", first.dtype, t.dtype);
            }
            if (t.rank() != first.rank()
                    || !Arrays.equals(t.shape, 1, t.shape.length, first.shape, 1, first.shape.length)) {
                throw ServingException.invalidArgument("cannot batch shape %s with %s",
                        Arrays.toString(first.shape), Arrays.toString(t.shape));
            }
            rows += t.shape[0];
            bytes += t.data.limit();
        }
        Tensor last = parts.get(parts.size() - 1);
        long padRows = Math.max(0, padToRows - rows);
        Tensor padRow = padRows > 0 && last.rows() > 0 ? last.sliceRows(last.rows() - 1, last.rows()) : null;
        if (padRow == null) {
            padRows = 0;
        }
        ByteBuffer out = allocate(bytes + (padRow == null ? 0 : padRows * padRow.data.limit()));
        for (Tensor t : parts) {
            out.put(t.data.duplicate());
        }
        for (long p = 0; p < padRows; p++) {
            out.put(padRow.data.duplicate());
        }
        out.flip();
        long[] s = first.shape.clone();
        s[0] = rows + padRows;
        return wrap(first.dtype, s, out);
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + " " + Arrays.toString(shape) + "]";
    }

    /** Equal dtype, shape and bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.dtype == dtype && Arrays.equals(t.shape, shape) && t.data.equals(data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + data.hashCode();
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    static ByteBuffer allocate(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw ServingException.invalidArgument("tensor of %d bytes exceeds the 2 GiB limit", bytes);
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static long[] checkShape(long[] shape) {
        long[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                throw ServingException.invalidArgument("dimension %d of shape %s is negative", i, Arrays.toString(s));
            }
        }
        return s;
    }

    private static Tensor sized(DataType dtype, long[] shape, ByteBuffer b, int count) {
        long[] s = checkShape(shape);
        if (elementCount(s) != count) {
            throw ServingException.invalidArgument("shape %s holds %d elements, got %d values",
                    Arrays.toString(s), elementCount(s), count);
        }
        b.position(0).limit(count * dtype.byteSize());
        return new Tensor(dtype, s, b.slice().order(ByteOrder.LITTLE_ENDIAN), null);
    }

    private int index(long i) {
        if (i < 0 || i >= elementCount) {
            throw new IndexOutOfBoundsException("element " + i + " of " + elementCount);
        }
        return (int) i;
    }

    private int[] offsets() {
        int[] off = byteOffsets;
        if (off == null) {
            off = indexBytes(data, elementCount, shape);
            byteOffsets = off;
        }
        return off;
    }

    private static int[] indexBytes(ByteBuffer b, long count, long[] shape) {
        if (count > Integer.MAX_VALUE) {
            throw ServingException.invalidArgument("too many elements: %d", count);
        }
        int[] off = new int[(int) count];
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (b.limit() - at < 4) {
                throw ServingException.invalidArgument(
                        "BYTES tensor of shape %s: element %d has no 4-byte length prefix (%d bytes left)",
                        Arrays.toString(shape), i, b.limit() - at);
            }
            int len = b.getInt(at);
            if (len < 0 || len > b.limit() - at - 4) {
                throw ServingException.invalidArgument(
                        "BYTES tensor of shape %s: element %d declares %d bytes, only %d remain",
                        Arrays.toString(shape), i, len, b.limit() - at - 4);
            }
            off[i] = at;
            at += 4 + len;
        }
        if (at != b.limit()) {
            throw ServingException.invalidArgument("BYTES tensor of shape %s: %d trailing bytes after %d elements",
                    Arrays.toString(shape), b.limit() - at, count);
        }
        return off;
    }
}
