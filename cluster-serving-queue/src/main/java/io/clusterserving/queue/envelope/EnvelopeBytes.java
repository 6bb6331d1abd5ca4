package io.clusterserving.queue.envelope;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one envelope object, {@code {"name":value,...}}, straight into a byte array: the bytes a
 * compact Jackson generator writes, without its per-character work on the embedded document, which
 * is most of an envelope and is copied in as it is. (One difference: a character outside the BMP in a
 * string is written as its four UTF-8 bytes, where Jackson writes a pair of escapes; both read back
 * as the same string.)
 */
final class EnvelopeBytes {
    private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int size;

    EnvelopeBytes(int expectedSize) {
        bytes = new byte[expectedSize];
        bytes[size++] = '{';
    }

    /** A string field; null writes {@code null}. */
    void string(String name, String value) {
        name(name);
        if (value == null) {
            append(NULL);
        } else {
            quoted(value);
        }
    }

    /** A number field; null writes {@code null}. */
    void number(String name, Long value) {
        name(name);
        append(value == null ? NULL : Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /** A field whose value is {@code json}, a JSON text, copied in as it is. */
    void raw(String name, byte[] json) {
        name(name);
        append(json);
    }

    /** Closes the object; the envelope's bytes, exactly as long as written. */
    byte[] close() {
        ensure(1);
        bytes[size++] = '}';
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    /** A field's name; a comma first unless it is the object's first field (only '{' written so far). */
    private void name(String name) {
        if (size > 1) {
            ensure(1);
            bytes[size++] = ',';
        }
        quoted(name);
        ensure(1);
        bytes[size++] = ':';
    }

    private void quoted(String text) {
        byte[] escaped = STRINGS.quoteAsUTF8(text);
        ensure(escaped.length + 2);
        bytes[size++] = '"';
        System.arraycopy(escaped, 0, bytes, size, escaped.length);
        size += escaped.length;
        bytes[size++] = '"';
    }

    private void append(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
