package io.clusterserving.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.HalfFloat;
import io.clusterserving.core.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes tensor elements as JSON values: floats in shortest round-trip form with bare NaN/Infinity
 * tokens, integers exactly (UINT64 unsigned), BOOL as true/false, BYTES as UTF-8 strings or
 * {@code {"b64": ...}} objects.
 */
public final class JsonTensorWriter {
    /** Floats per raw run: bounds the text buffer (16 chars a float) for long tensors. */
    private static final int FLOATS_PER_RUN = 1024;

    private JsonTensorWriter() {
    }

    /** How BYTES elements are written. */
    public enum BytesStyle {
        /** A UTF-8 string when valid UTF-8, else {@code {"b64": ...}} (TF Serving's string outputs). */
        STRING_OR_B64,
        /** Always {@code {"b64": ...}} (TF Serving's rule for outputs whose name ends with "_bytes"). */
        B64,
        /** Always a string; invalid UTF-8 is replaced (V2's JSON data has no binary form). */
        STRING
    }

    /**
     * Writes the elements of {@code t} as nested lists following its shape from dimension
     * {@code fromDim} on, starting at element {@code firstElement}. With fromDim == rank a single
     * scalar is written.
     */
    public static void writeNested(JsonGenerator g, Tensor t, ByteBuffer data, int fromDim, long firstElement,
                                   BytesStyle bytes) throws IOException {
        int rank = t.rank();
        if (fromDim == rank) {
            writeElement(g, t, data, firstElement, bytes);
            return;
        }
        long n = t.dim(fromDim);
        if (fromDim == rank - 1) {
            g.writeStartArray();
            writeFlat(g, t, data, firstElement, firstElement + n, bytes);
            g.writeEndArray();
            return;
        }
        long stride = 1;
        for (int d = fromDim + 1; d < rank; d++) {
            stride *= t.dim(d);
        }
        g.writeStartArray();
        for (long i = 0; i < n; i++) {
            writeNested(g, t, data, fromDim + 1, firstElement + i * stride, bytes);
        }
        g.writeEndArray();
    }

    /** Writes elements [from, to) one after another (no surrounding brackets). */
    public static void writeFlat(JsonGenerator g, Tensor t, ByteBuffer data, long from, long to, BytesStyle bytes)
            throws IOException {
        DataType dtype = t.dtype();
        switch (dtype) {
            case FP32 -> writeFloats(g, data, (int) from, (int) to);
            case FP64 -> {
                for (long i = from; i < to; i++) {
                    g.writeNumber(data.getDouble((int) i * 8));
                }
            }
            case INT64 -> {
                for (long i = from; i < to; i++) {
                    g.writeNumber(data.getLong((int) i * 8));
                }
            }
            case INT32 -> {
                for (long i = from; i < to; i++) {
                    g.writeNumber(data.getInt((int) i * 4));
                }
            }
            default -> {
                for (long i = from; i < to; i++) {
                    writeElement(g, t, data, i, bytes);
                }
            }
        }
    }

    /**
     * Runs of finite floats go to the generator as raw text "a,b,c", one call per run: the generator's
     * bookkeeping for each number (the separator, a char-to-byte loop per call) cost as much as
     * finding the digits. The text is what {@code writeNumber(float)} writes (FloatText), NaN and the
     * infinities still go through the generator, and a generator that adds layout of its own (a
     * pretty printer) or quotes numbers gets one number at a time.
     */
    @SuppressWarnings("deprecation") // JsonGenerator.Feature is still how a generator is asked about quoting numbers
    private static void writeFloats(JsonGenerator g, ByteBuffer data, int from, int to) throws IOException {
        if (g.getPrettyPrinter() != null || g.isEnabled(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS)) {
            for (int i = from; i < to; i++) {
                g.writeNumber(data.getFloat(i * 4));
            }
            return;
        }
        // each float with its comma is at most MAX_CHARS + 1 chars; the last one needs ROOM after its comma
        char[] text = new char[Math.min(to - from, FLOATS_PER_RUN) * (FloatText.MAX_CHARS + 1) + FloatText.ROOM];
        int i = from;
        while (i < to) {
            int runEnd = Math.min(to, i + FLOATS_PER_RUN);
            int length = 0;
            for (; i < runEnd; i++) {
                float v = data.getFloat(i * 4);
                if (!Float.isFinite(v)) {
                    break;
                }
                if (length > 0) {
                    text[length++] = ',';
                }
                length = FloatText.write(v, text, length);
            }
            if (length > 0) {
                g.writeRawValue(text, 0, length); // the generator writes the comma before it, if any
            }
            if (i < runEnd) { // stopped at NaN or an infinity: the generator's own token for it
                g.writeNumber(data.getFloat(i * 4));
                i++;
            }
        }
    }

    private static void writeElement(JsonGenerator g, Tensor t, ByteBuffer data, long i, BytesStyle bytes)
            throws IOException {
        int k = (int) i;
        switch (t.dtype()) {
            case FP32 -> g.writeNumber(data.getFloat(k * 4));
            case FP64 -> g.writeNumber(data.getDouble(k * 8));
            case FP16 -> g.writeNumber(HalfFloat.toFloat(data.getShort(k * 2)));
            case BOOL -> g.writeBoolean(data.get(k) != 0);
            case INT8 -> g.writeNumber(data.get(k));
            case UINT8 -> g.writeNumber(data.get(k) & 0xFF);
            case INT16 -> g.writeNumber(data.getShort(k * 2));
            case UINT16 -> g.writeNumber(data.getShort(k * 2) & 0xFFFF);
            case INT32 -> g.writeNumber(data.getInt(k * 4));
            case UINT32 -> g.writeNumber(data.getInt(k * 4) & 0xFFFF_FFFFL);
            case INT64 -> g.writeNumber(data.getLong(k * 8));
            case UINT64 -> {
                long v = data.getLong(k * 8);
                if (v >= 0) {
                    g.writeNumber(v);
                } else {
                    g.writeNumber(Long.toUnsignedString(v));
                }
            }
            case BYTES -> writeBytes(g, t.getBytes(i), bytes);
        }
    }

    private static void writeBytes(JsonGenerator g, byte[] v, BytesStyle style) throws IOException {
        if (style == BytesStyle.B64 || (style == BytesStyle.STRING_OR_B64 && !Utf8.isValid(v))) {
            g.writeStartObject();
            g.writeFieldName("b64");
            g.writeBinary(v);
            g.writeEndObject();
        } else if (style == BytesStyle.STRING && !Utf8.isValid(v)) {
            g.writeString(new String(v, java.nio.charset.StandardCharsets.UTF_8));
        } else {
            g.writeUTF8String(v, 0, v.length);
        }
    }
}
