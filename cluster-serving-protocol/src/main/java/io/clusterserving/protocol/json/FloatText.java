package io.clusterserving.protocol.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Writes a finite float as the shortest decimal that reads back as the same float, in the text that
 * Java 19+'s {@code Float.toString} and Jackson's {@code writeNumber(float)} produce ("2.5", "0.001",
 * "1.0E7", "1.4E-45"), into a char array, without allocating.
 *
 * <p>Why: Jackson turns each float into a String and copies it out again, which dominated writing a
 * response row of many floats (figures in docs/benchmarks.md); this writes the same text into a
 * reused buffer. The digits are split eight at a time (one multiply per level, no chain of divisions) and stored
 * eight at a time, with branches only on the layout.
 *
 * <p>The decimal is the one Java specifies: among the decimals that round to the float, those of the
 * fewest digits (but counting lengths 1 and 2 together, hence 1.4E-45 rather than 1.0E-45), the one
 * nearest the float, an exact tie going to the even one. It is found as in Giulietti's Schubfach
 * paper: with 10^k the largest power of ten no wider than the float's rounding interval, that
 * interval holds one or two multiples of 10^k and at most one of 10^(k+1), and the answer is that
 * one, else the multiple of 10^k nearest the float. The interval's ends and the float are scaled by
 * 10^-k in integers: a 63-bit approximation of 10^-k (rounded up) times four times the significand,
 * 32 fraction bits kept and folded into the lowest bit ("round to odd"), which keeps every
 * comparison with a multiple of four exact. That the approximation never misleads a comparison was
 * checked on all 2^31 positive floats against Java 25's Float.toString (outside the suite); {@link #exact} states the
 * definition in BigDecimals for the tests and takes the few tiny subnormals.
 */
public final class FloatText {
    /** The longest text written: "-1.23456789E-45". */
    public static final int MAX_CHARS = 15;
    /**
     * The room {@link #write} needs from its start index: digits are stored eight at a time, so up to
     * two chars past the longest text may be written over (and are not part of the text).
     */
    public static final int ROOM = MAX_CHARS + 2;

    private static final int Q_MIN = -149; // a float is c * 2^q with c < 2^24 and Q_MIN <= q <= Q_MAX
    private static final int Q_MAX = 104;
    /** Fraction bits kept of a scaled product. */
    private static final int FRACTION_BITS = 32;
    private static final long FRACTION = (1L << FRACTION_BITS) - 1;
    /** Subnormal significands below this scale to a single digit; {@link #exact} takes them. */
    private static final int C_TINY = 8;

    /*
     * Indexed by 2 * (q - Q_MIN), plus one where the interval is lopsided (the first significand of
     * a binade, whose lower neighbour is half as far): k; 10^-k as g * 2^(fl - 62), fl = floor(log2 10^-k),
     * 2^62 <= g < 2^63 rounded up; and the shift placing (4c << shift) * g / 2^64 at FRACTION_BITS.
     */
    private static final int[] GRID = new int[2 * (Q_MAX - Q_MIN + 1)];
    private static final long[] SCALE = new long[GRID.length];
    private static final int[] SHIFT = new int[GRID.length];

    static {
        for (int q = Q_MIN; q <= Q_MAX; q++) {
            for (int lopsided = 0; lopsided <= 1; lopsided++) {
                int row = 2 * (q - Q_MIN) + lopsided;
                BigDecimal width = lopsided == 0 ? powerOfTwo(q) : powerOfTwo(q - 2).multiply(BigDecimal.valueOf(3));
                int k = width.precision() - width.scale() - 1; // floor(log10 width)
                BigDecimal inverse = BigDecimal.ONE.scaleByPowerOfTen(-k);
                int fl = k <= 0 ? inverse.toBigIntegerExact().bitLength() - 1 // floor(log2 10^-k)
                        : -BigInteger.TEN.pow(k).bitLength();
                BigInteger g = inverse.multiply(powerOfTwo(62 - fl)).toBigInteger().add(BigInteger.ONE);
                if (g.bitLength() != 63) {
                    throw new AssertionError("scale of 10^" + -k + " out of range: " + g);
                }
                GRID[row] = k;
                SCALE[row] = g.longValueExact();
                SHIFT[row] = q + fl + FRACTION_BITS + 2;
            }
        }
    }

    private FloatText() {
    }

    private static BigDecimal powerOfTwo(int n) {
        return new BigDecimal(Math.scalb(1.0, n)); // exact: a double holds 2^n for these n
    }

    /**
     * Writes {@code value} at {@code out[at]}, which must have {@link #ROOM} chars of room.
     *
     * @return the index after the text (chars after it, up to {@code at + ROOM}, may have been written over)
     * @throws IllegalArgumentException for NaN and the infinities, which have no decimal
     */
    public static int write(float value, char[] out, int at) {
        int bits = Float.floatToRawIntBits(value);
        if (bits < 0) {
            out[at++] = '-';
            bits &= 0x7FFF_FFFF;
        }
        if (bits == 0) {
            out[at] = '0';
            out[at + 1] = '.';
            out[at + 2] = '0';
            return at + 3;
        }
        if (bits >= 0x7F80_0000) {
            throw new IllegalArgumentException("no decimal for " + value);
        }
        long decimal = decimal(bits);
        return format((int) significand(decimal), exponent(decimal), out, at);
    }

    /** The decimal of a positive finite float, packed as significand and exponent. */
    static long decimal(int bits) {
        int biased = bits >>> 23;
        if (biased == 0 && bits < C_TINY) {
            return exact(bits);
        }
        int c = biased == 0 ? bits : (bits & 0x7F_FFFF) | 0x80_0000;
        int q = biased == 0 ? Q_MIN : biased - 150;
        boolean lopsided = c == 0x80_0000 && biased > 1;
        int row = 2 * (q - Q_MIN) + (lopsided ? 1 : 0);
        long g = SCALE[row];
        int shift = SHIFT[row];
        // Four times the float and its interval's ends, scaled by 10^-k, rounded to odd.
        long cb = (long) c << 2;
        int vb = scaledToOdd(g, cb << shift);
        int vbl = scaledToOdd(g, (cb - (lopsided ? 1 : 2)) << shift);
        int vbr = scaledToOdd(g, (cb + 2) << shift);
        int open = c & 1; // an odd significand's interval excludes its ends: they read as the even neighbour
        int s = vb >> 2; // floor(v / 10^k)
        int k = GRID[row];
        if (s >= 100) { // a multiple of 10^(k+1) has one digit fewer; below 100 lengths 1 and 2 count as one
            int down = s / 10 * 10;
            int up = down + 10;
            boolean downInside = vbl + open <= down << 2;
            boolean upInside = (up << 2) + open <= vbr;
            if (downInside != upInside) {
                return pack(downInside ? down : up, k);
            }
        }
        int t = s + 1;
        boolean sInside = vbl + open <= s << 2;
        boolean tInside = (t << 2) + open <= vbr;
        if (sInside != tInside) {
            return pack(sInside ? s : t, k);
        }
        int excess = vb - ((s + t) << 1); // 4v/10^k against twice the midpoint of s and t
        return pack(excess < 0 || (excess == 0 && (s & 1) == 0) ? s : t, k);
    }

    /** floor(g * cp / 2^64 / 2^FRACTION_BITS), with the lowest bit set when that drops a nonzero fraction. */
    private static int scaledToOdd(long g, long cp) {
        long x = Math.multiplyHigh(g, cp);
        return (int) ((x >>> FRACTION_BITS) | ((x & FRACTION) + FRACTION) >>> FRACTION_BITS);
    }

    /** The decimal of a positive finite float straight from the definition, in exact arithmetic. */
    static long exact(int bits) {
        int biased = bits >>> 23;
        long c = biased == 0 ? bits : (bits & 0x7F_FFFF) | 0x80_0000;
        int q = biased == 0 ? -149 : biased - 150;
        BigDecimal v = new BigDecimal(Math.scalb((double) c, q));
        BigDecimal lo = new BigDecimal(Math.scalb((double) (4 * c - (c == 0x80_0000 && biased > 1 ? 1 : 2)), q - 2));
        BigDecimal hi = new BigDecimal(Math.scalb((double) (4 * c + 2), q - 2));
        boolean inclusive = (c & 1) == 0;
        for (int digits = 2; ; digits++) {
            BigDecimal down = v.round(new MathContext(digits, RoundingMode.FLOOR));
            BigDecimal up = v.round(new MathContext(digits, RoundingMode.CEILING));
            boolean downInside = inside(down, lo, hi, inclusive);
            boolean upInside = inside(up, lo, hi, inclusive);
            if (!downInside && !upInside) {
                continue;
            }
            BigDecimal chosen;
            if (!upInside) {
                chosen = down;
            } else if (!downInside) {
                chosen = up;
            } else {
                int excess = v.subtract(down).compareTo(up.subtract(v));
                chosen = excess < 0 || (excess == 0 && !down.unscaledValue().testBit(0)) ? down : up;
            }
            BigDecimal stripped = chosen.stripTrailingZeros();
            return pack(stripped.unscaledValue().longValueExact(), -stripped.scale());
        }
    }

    private static boolean inside(BigDecimal point, BigDecimal lo, BigDecimal hi, boolean inclusive) {
        int fromLo = point.compareTo(lo);
        int fromHi = point.compareTo(hi);
        return (fromLo > 0 || (inclusive && fromLo == 0)) && (fromHi < 0 || (inclusive && fromHi == 0));
    }

    private static long pack(long significand, int exponent) {
        return significand << 16 | (exponent & 0xFFFF);
    }

    static long significand(long decimal) {
        return decimal >>> 16;
    }

    static int exponent(long decimal) {
        return (short) decimal;
    }

    /** Java's layout: plain for 1e-3 <= |v| < 1e7, else d.dddE[-]n; always a digit after the point. */
    private static int format(int s, int exponent, char[] out, int at) {
        // s < 2 * 10^8 (the decimal search never yields more), so a ninth digit can only be a leading 1
        int head = (99_999_999 - s) >>> 31; // s >= 10^8, as a sign bit rather than a branch
        long digits = eightDigits(s - head * 100_000_000);
        int trailing = Long.numberOfLeadingZeros(digits) >>> 3; // zero digits at the end (8 when all are)
        int leading = (Long.numberOfTrailingZeros(digits) >>> 3) & (head - 1); // none after a head
        long rest = digits >>> (leading << 3);
        int length = head + 8 - leading - trailing; // significant digits
        // The digits one per byte, the first lowest: eight in word, a ninth (only when there are nine) apart.
        long word = rest << (head << 3) | head;
        int ninth = (int) (rest >>> 56) & -head;
        int lead = exponent + trailing + length - 1; // the power of ten of the first digit
        if (lead >= 0 && lead < 7) {
            int point = lead + 1; // digits before the point
            if (point >= length) { // a whole number: its digits, zeros up to the point (the zero bytes of word), ".0"
                writeEight(word, out, at);
                out[at + point] = '.';
                out[at + point + 1] = '0';
                return at + point + 2;
            }
            return writePointAfter(point, word, ninth, length, out, at);
        }
        if (lead < 0 && lead >= -3) {
            out[at] = '0';
            out[at + 1] = '.';
            out[at + 2] = '0'; // the zeros before the first digit; those not needed are written over
            out[at + 3] = '0';
            int first = at + 1 - lead;
            writeEight(word, out, first);
            out[first + 8] = (char) ('0' + ninth);
            return first + length;
        }
        int end;
        if (length > 1) {
            end = writePointAfter(1, word, ninth, length, out, at);
        } else {
            out[at] = (char) ('0' + word);
            out[at + 1] = '.';
            out[at + 2] = '0';
            end = at + 3;
        }
        out[end++] = 'E';
        if (lead < 0) {
            out[end++] = '-';
            lead = -lead;
        }
        if (lead >= 10) {
            out[end++] = (char) ('0' + lead / 10);
        }
        out[end++] = (char) ('0' + lead % 10);
        return end;
    }

    /** The digits with a point after the first {@code point} (1 to 7, fewer than length) of them. */
    private static int writePointAfter(int point, long word, int ninth, int length, char[] out, int at) {
        int shift = point << 3;
        writeEight(word & ((1L << shift) - 1), out, at); // the chars from the point on are written over next
        out[at + point] = '.';
        writeEight(word >>> shift | (long) ninth << (64 - shift), out, at + point + 1);
        return at + length + 1;
    }

    /** Eight chars from the eight digits in the bytes of word, the first in the lowest byte. */
    private static void writeEight(long word, char[] out, int at) {
        out[at] = (char) ('0' + ((int) word & 0xF));
        out[at + 1] = (char) ('0' + ((int) (word >>> 8) & 0xF));
        out[at + 2] = (char) ('0' + ((int) (word >>> 16) & 0xF));
        out[at + 3] = (char) ('0' + ((int) (word >>> 24) & 0xF));
        out[at + 4] = (char) ('0' + ((int) (word >>> 32) & 0xF));
        out[at + 5] = (char) ('0' + ((int) (word >>> 40) & 0xF));
        out[at + 6] = (char) ('0' + ((int) (word >>> 48) & 0xF));
        out[at + 7] = (char) ('0' + (int) (word >>> 56));
    }

    /**
     * The eight decimal digits of x < 10^8 (leading zeros included), one per byte, the first in the
     * lowest: x splits into two halves of four digits in 32-bit lanes, each into two pairs in 16-bit
     * lanes, each into two digits in bytes, every division a multiply and shift that is exact in its range.
     */
    static long eightDigits(int x) {
        long high = (x * 109_951_163L) >>> 40; // x / 10^4
        long fours = high | (x - high * 10_000) << 32;
        long hundreds = ((fours * 10_486) >>> 20) & 0x0000_007F_0000_007FL; // per lane: n / 100 for n < 10^4
        long twos = hundreds | (fours - 100 * hundreds) << 16;
        long tens = ((twos * 103) >>> 10) & 0x000F_000F_000F_000FL; // per lane: n / 10 for n < 100
        return tens | (twos - 10 * tens) << 8;
    }
}
