package io.clusterserving.protocol.tfserving;

import com.fasterxml.jackson.core.io.NumberInput;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.protocol.json.TensorAccumulator;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The fast path for the commonest predict body: {@code {"instances": [[n, n, ...], ...]}} (or a flat
 * {@code {"instances": [n, ...]}}) for a signature with one FP32 input. It reads numbers straight from
 * the bytes, where the token stream copies each number's characters into a buffer first (the two
 * are compared in docs/benchmarks.md).
 *
 * <p>It gives up (returns null) on anything else — another key, a NaN token, a ragged or empty list,
 * invalid JSON — and the full decoder then takes the body from the start and reports any problem; so
 * the fast path never produces an error of its own. Numbers are rounded to float exactly as the full
 * decoder rounds them (correctly rounded, integers through {@code long} as the token stream does).
 */
final class FloatRowsScanner {
    private static final byte[] INSTANCES_KEY = "\"instances\"".getBytes(StandardCharsets.US_ASCII);
    /** Powers of ten exactly representable as float (5^10 < 2^24). */
    private static final float[] FLOAT_POW10 = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
    /** Powers of ten exactly representable as double (5^22 < 2^53). */
    private static final double[] DOUBLE_POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    /** Longer numbers go to the full decoder, whose stream-read constraints cap a number's length. */
    private static final int MAX_NUMBER_LENGTH = 100;
    /** Beyond this many significant digits the mantissa may not fit a long. */
    private static final int MAX_MANTISSA_DIGITS = 18;
    /** Bits of a double's 52-bit fraction below a float's 23: a float midpoint has exactly the top one set. */
    private static final long BELOW_FLOAT_MASK = (1L << 29) - 1;
    private static final long FLOAT_MIDPOINT = 1L << 28;

    private final byte[] b;
    private final int end;
    private int pos;

    private FloatRowsScanner(byte[] body, int offset, int length) {
        this.b = body;
        this.pos = offset;
        this.end = offset + length;
    }

    /** The decoded body, or null when it is not of the fast path's shape (the caller decodes it fully). */
    static TfPredictRequestDecoder.Decoded tryDecode(byte[] body, int offset, int length, Signature signature) {
        if (signature.inputs().size() != 1 || signature.inputs().get(0).dtype() != DataType.FP32) {
            return null;
        }
        return new FloatRowsScanner(body, offset, length).scan(signature.inputs().get(0), length);
    }

    private TfPredictRequestDecoder.Decoded scan(TensorSpec spec, int length) {
        int afterKey = afterInstancesKey(b, pos, end);
        if (afterKey < 0) {
            return null;
        }
        pos = afterKey;
        if (!skipToken('[')) {
            return null;
        }
        TensorAccumulator acc = new TensorAccumulator(DataType.FP32, length);
        long[] shape;
        skipWhitespace();
        if (pos < end && b[pos] == '[') {
            int rows = 0;
            int width = -1;
            do {
                if (!skipToken('[')) {
                    return null;
                }
                int n = readNumbers(acc);
                if (n < 0 || (width >= 0 && n != width)) {
                    return null;
                }
                width = n;
                rows++;
            } while (skipToken(','));
            if (!skipToken(']')) {
                return null;
            }
            shape = new long[] {rows, width};
        } else {
            int n = readNumbers(acc);
            if (n < 0) {
                return null;
            }
            shape = new long[] {n};
        }
        if (!skipToken('}')) {
            return null;
        }
        skipWhitespace();
        if (pos != end) {
            return null;
        }
        return new TfPredictRequestDecoder.Decoded(RequestFormat.ROW, Map.of(spec.name(), acc.build(shape)));
    }

    /** Numbers up to and including the list's ']' (its '[' already read); how many, or -1 to give up. */
    private int readNumbers(TensorAccumulator acc) {
        int n = 0;
        while (true) {
            skipWhitespace();
            if (!readNumber(acc)) {
                return -1;
            }
            n++;
            skipWhitespace();
            if (pos >= end) {
                return -1;
            }
            byte c = b[pos++];
            if (c == ']') {
                return n;
            }
            if (c != ',') {
                return -1;
            }
        }
    }

    /** One JSON number (RFC 8259 grammar) as FP32; false when the bytes here are not one. */
    private boolean readNumber(TensorAccumulator acc) {
        int start = pos;
        boolean negative = pos < end && b[pos] == '-';
        if (negative) {
            pos++;
        }
        if (pos >= end) {
            return false;
        }
        long mantissa = 0;
        int digits = 0; // significant digits in the mantissa (leading zeros do not count)
        int dropped = 0; // significant digits that did not fit
        int fractionDigits = 0;
        if (b[pos] == '0') {
            pos++;
        } else if (isDigit(b[pos])) {
            while (pos < end && isDigit(b[pos])) {
                if (digits < MAX_MANTISSA_DIGITS) {
                    mantissa = mantissa * 10 + (b[pos] - '0');
                    digits++;
                } else {
                    dropped++;
                }
                pos++;
            }
        } else {
            return false;
        }
        boolean integer = true;
        if (pos < end && b[pos] == '.') {
            integer = false;
            pos++;
            int first = pos;
            // Eight digits at a time while they surely fit the mantissa; the loop below takes the rest.
            // Zeros ahead of the first non-zero digit of a chunk count as digits here, so a number may
            // reach the exact (slow) route a little sooner than byte by byte: the same float either way.
            while (end - pos >= Long.BYTES && digits <= MAX_MANTISSA_DIGITS - Long.BYTES) {
                long word = (long) WORDS.get(b, pos);
                int n = leadingDigits(word);
                if (n == 0) {
                    break;
                }
                mantissa = mantissa * LONG_POW10[n] + digitsValue(word, n);
                digits = mantissa == 0 ? 0 : digits + n;
                fractionDigits += n;
                pos += n;
                if (n < Long.BYTES) {
                    break;
                }
            }
            while (pos < end && isDigit(b[pos])) {
                if (mantissa == 0 && b[pos] == '0') {
                    fractionDigits++; // a leading zero of the fraction: scale only
                } else if (digits < MAX_MANTISSA_DIGITS) {
                    mantissa = mantissa * 10 + (b[pos] - '0');
                    digits++;
                    fractionDigits++;
                } else {
                    dropped++; // beyond the mantissa; the slow path sees them
                }
                pos++;
            }
            if (pos == first) {
                return false;
            }
        }
        int exponent = 0;
        boolean hugeExponent = false;
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            integer = false;
            pos++;
            boolean negativeExponent = false;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                negativeExponent = b[pos] == '-';
                pos++;
            }
            int first = pos;
            while (pos < end && isDigit(b[pos])) {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (b[pos] - '0');
                } else {
                    hugeExponent = true;
                }
                pos++;
            }
            if (pos == first) {
                return false;
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            return false;
        }
        if (integer) {
            if (dropped > 0) {
                return false; // beyond a long: the token stream converts those through double; let it
            }
            acc.putLong(negative ? -mantissa : mantissa); // as the token stream does for integer tokens
            return true;
        }
        float magnitude = dropped > 0 || hugeExponent ? Float.NaN : magnitude(mantissa, exponent - fractionDigits);
        if (Float.isNaN(magnitude)) {
            // Not provably right by the quick routes: the parser the full decoder uses, on the text.
            acc.putFloat(NumberInput.parseFloat(new String(b, start, pos - start, StandardCharsets.ISO_8859_1), true));
        } else {
            acc.putFloat(negative ? -magnitude : magnitude);
        }
        return true;
    }

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long[] LONG_POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /**
     * How many of the eight bytes of {@code word} (first byte lowest) are ASCII digits before the
     * first one that is not. Per byte, {@code b - '0'} borrows (bit 7 set) when b &lt; '0' and
     * {@code b + 0x46} carries into bit 7 when b &gt; '9'; bytes above the first non-digit may be
     * disturbed by its borrow or carry, but only the lowest flagged byte is used.
     */
    static int leadingDigits(long word) {
        long nonDigit = ((word - 0x3030303030303030L) | (word + 0x4646464646464646L)) & 0x8080808080808080L;
        return nonDigit == 0 ? Long.BYTES : Long.numberOfTrailingZeros(nonDigit) >>> 3;
    }

    /**
     * The value of the first {@code n} (1..8) bytes of {@code word}, all ASCII digits: shifted to the
     * top so that the missing ones read as leading zeros, then combined pairwise in three multiplies
     * (10 x first + second per byte pair, then 100s, then 10,000s).
     */
    static long digitsValue(long word, int n) {
        long v = (word - 0x3030303030303030L) << (8 * (Long.BYTES - n));
        v = v * 10 + (v >>> 8);
        return (((v & 0x000000FF000000FFL) * (100 + (1_000_000L << 32)))
                + (((v >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32)))) >>> 32;
    }

    /**
     * The float nearest {@code mantissa * 10^scale}, or NaN when the quick routes cannot prove it:
     * <ul>
     *   <li>both operands exact floats: one IEEE operation rounds correctly (Clinger's fast path);</li>
     *   <li>both exact doubles: a correctly rounded double, then float — rounding twice is only wrong
     *       when the double lands exactly on a midpoint between two floats, so those (and subnormals)
     *       are refused.</li>
     * </ul>
     */
    private static float magnitude(long mantissa, int scale) {
        if (mantissa == 0) {
            return 0f;
        }
        if (mantissa <= (1L << 24) && Math.abs(scale) <= 10) {
            return scale < 0 ? mantissa / FLOAT_POW10[-scale] : mantissa * FLOAT_POW10[scale];
        }
        if (mantissa > (1L << 53) || Math.abs(scale) > 22) {
            return Float.NaN;
        }
        double d = scale < 0 ? mantissa / DOUBLE_POW10[-scale] : mantissa * DOUBLE_POW10[scale];
        if (d < Float.MIN_NORMAL || d > Float.MAX_VALUE
                || (Double.doubleToRawLongBits(d) & BELOW_FLOAT_MASK) == FLOAT_MIDPOINT) {
            return Float.NaN;
        }
        return (float) d;
    }

    /**
     * Index just past the colon when {@code b[from, end)} opens with {@code {"instances":} (whitespace
     * allowed around each token), else -1: what a token stream would see first in the commonest body.
     */
    static int afterInstancesKey(byte[] b, int from, int end) {
        int i = skipWhitespace(b, from, end);
        if (i >= end || b[i] != '{') {
            return -1;
        }
        i = skipWhitespace(b, i + 1, end);
        if (end - i < INSTANCES_KEY.length || !Arrays.equals(b, i, i + INSTANCES_KEY.length, INSTANCES_KEY, 0,
                INSTANCES_KEY.length)) {
            return -1;
        }
        i = skipWhitespace(b, i + INSTANCES_KEY.length, end);
        return i < end && b[i] == ':' ? i + 1 : -1;
    }

    private static int skipWhitespace(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** Whitespace, then {@code c}. */
    private boolean skipToken(char c) {
        skipWhitespace();
        if (pos < end && b[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        pos = skipWhitespace(b, pos, end);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
