package io.clusterserving.protocol.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Writes a finite float as the shortest decimal that reads back as the same float, in the text that
 * Java 19+'s {@code Float.toString} and Jackson's {@code writeNumber(float)} produce ("2.5", "0.001",
 * "1.0E7", "1.4E-45"), into a char array, without allocating.
 *
 * <p>Why: writing a dense128 response row took 14-16 us, mostly in Jackson turning each float into
 * a String and copying it out again; writing the same text from a reused buffer takes 7 us.
 *
 * <p>The decimal is the one Java specifies: among the decimals that round to the float, those of the
 * fewest digits (but counting lengths 1 and 2 together, hence 1.4E-45 rather than 1.0E-45), the one
 * nearest the float, an exact tie going to the even one. With v scaled to nine integer digits, that
 * is the coarsest grid of 10^k (k &lt;= 7) holding a point of the rounding interval, and there the
 * nearer of the two grid points around v. The scaling is done in doubles: exact for
 * 1e-3 &lt;= v &lt; 1e9 (10^n with n &lt;= 11 times a 26-bit integer fits in 53 bits), within
 * 3e-7 of exact elsewhere, where any decision closer than {@link #MARGIN} to its threshold is
 * handed to {@link #exact}, a BigDecimal statement of the definition.
 */
public final class FloatText {
    /** The longest text written: "-1.23456789E-45". */
    public static final int MAX_CHARS = 15;

    private static final int MIN_N = -31;
    private static final int MAX_N = 55;
    /** POW10[n - MIN_N] = 10^n rounded to the nearest double, for the scale factors 10^(8-e). */
    private static final double[] POW10 = new double[MAX_N - MIN_N + 1];
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
            100_000_000, 1_000_000_000};
    /** The coarsest grid 10^k searched in the nine-digit scale: 10^7, two digits. */
    private static final int MAX_GRID = 7;
    private static final double LOG10_2 = 0.30102999566398120;
    /** Beyond the worst error of the inexact scaling (2 roundings of a value below 1e9: about 2.3e-7). */
    private static final double MARGIN = 1e-6;
    static final long UNDECIDED = -1;

    private static final long[] RECIPROCALS = new long[MAX_GRID + 1];
    private static final int[] SHIFTS = new int[MAX_GRID + 1];
    /** "00", "01", ... "99" back to back. */
    private static final char[] DIGIT_PAIRS = new char[200];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (char) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (char) ('0' + i % 10);
        }
        for (int k = 0; k <= MAX_GRID; k++) {
            int l = 32 - Integer.numberOfLeadingZeros(POWERS_OF_TEN[k] - 1); // ceil(log2 10^k)
            SHIFTS[k] = 30 + l;
            RECIPROCALS[k] = ((1L << SHIFTS[k]) + POWERS_OF_TEN[k] - 1) / POWERS_OF_TEN[k];
        }
        for (int n = MIN_N; n <= MAX_N; n++) {
            POW10[n - MIN_N] = Double.parseDouble("1e" + n);
        }
    }

    private FloatText() {
    }

    /**
     * Writes {@code value} at {@code out[at]}, which must have {@link #MAX_CHARS} chars of room.
     *
     * @return the index after the last char written
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
        long decimal = scaled(bits);
        if (decimal == UNDECIDED) {
            decimal = exact(bits);
        }
        return format(significand(decimal), exponent(decimal), out, at);
    }

    /** The decimal of a positive finite float by the scaled-double route, or UNDECIDED. */
    static long scaled(int bits) {
        int biased = bits >>> 23;
        int c = biased == 0 ? bits : (bits & 0x7F_FFFF) | 0x80_0000;
        int q = biased == 0 ? -149 : biased - 150; // the float is c * 2^q
        double v = Float.intBitsToFloat(bits); // exact
        // The rounding interval's ends are halfway to the neighbours (exact in a double: 26 bits);
        // below the smallest significand of a binade the neighbour is half as far.
        double halfUlp = Double.longBitsToDouble((long) (q - 1 + 1023) << 52);
        double lo = v - (c == 0x80_0000 && biased > 1 ? halfUlp / 2 : halfUlp);
        double hi = v + halfUlp;
        boolean inclusive = (c & 1) == 0; // a halfway decimal reads as the float with the even significand

        int e = (int) Math.floor(Math.getExponent(v) * LOG10_2); // floor(log10 v), or one less
        double scale = POW10[8 - e - MIN_N];
        double scaledV = v * scale;
        if (scaledV >= 1e9) {
            e++;
            scale = POW10[8 - e - MIN_N];
            scaledV = v * scale;
        }
        int n = 8 - e;
        double margin = n >= 0 && n <= 11 ? 0 : MARGIN;
        if (scaledV < 1e8 + margin || scaledV > 1e9 - margin) {
            return UNDECIDED; // not surely nine digits: e may be off by one
        }
        double scaledLo = lo * scale;
        double scaledHi = hi * scale;
        int whole = (int) scaledV;
        double fraction = scaledV - whole;
        double loCeil = Math.ceil(scaledLo);
        double hiFloor = Math.floor(scaledHi);
        if (margin > 0 && (fraction < margin || fraction > 1 - margin
                || loCeil - scaledLo < margin || scaledLo - (loCeil - 1) < margin
                || scaledHi - hiFloor < margin || hiFloor + 1 - scaledHi < margin)) {
            return UNDECIDED;
        }
        // The integers inside the interval are first..last; the answer lies on the coarsest grid of
        // 10^k holding one of them (k <= 7: two digits are always considered), nearest v there.
        int first = (int) loCeil;
        if (first == scaledLo && !inclusive) {
            first++;
        }
        int last = (int) hiFloor;
        if (last == scaledHi && !inclusive) {
            last--;
        }
        int k = 0;
        while (k < MAX_GRID && roundDown(last, k + 1) >= first) {
            k++;
        }
        int below = roundDown(whole, k);
        if (below == whole && fraction == 0) {
            return pack(below, e - 8); // v itself is on the grid
        }
        int above = below + POWERS_OF_TEN[k];
        int chosen;
        if (below < first) {
            chosen = above;
        } else if (above > last) {
            chosen = below;
        } else {
            double excess = (scaledV - below) - (above - scaledV); // < 0: below is nearer
            if (Math.abs(excess) < margin) {
                return UNDECIDED;
            }
            chosen = excess < 0 || (excess == 0 && (below / POWERS_OF_TEN[k]) % 2 == 0) ? below : above;
        }
        return pack(chosen, e - 8); // format drops the grid's zeros
    }

    /**
     * x (below 2^30) rounded down to a multiple of 10^k, dividing by multiplying: with l = ceil(log2 10^k),
     * m = ceil(2^(30+l) / 10^k) and s = 30 + l, (x * m) >>> s is x / 10^k for every x below 2^30
     * (the error x * (m - 2^s / 10^k) / 2^s stays under 10^-k). No branch on k, no division.
     */
    private static int roundDown(int x, int k) {
        return (int) ((x * RECIPROCALS[k]) >>> SHIFTS[k]) * POWERS_OF_TEN[k];
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
    private static int format(long significand, int exponent, char[] out, int at) {
        int s = (int) significand;
        while (s % 10 == 0) {
            s /= 10;
            exponent++;
        }
        int length = length(s);
        int lead = exponent + length - 1; // the power of ten of the first digit
        if (lead >= 0 && lead < 7) {
            int point = at + lead + 1;
            int end = Math.max(point, at + length);
            fillDigits(s, out, at, length);
            for (int i = at + length; i < point; i++) {
                out[i] = '0';
            }
            if (end == point) {
                out[point] = '.';
                out[point + 1] = '0';
                return point + 2;
            }
            System.arraycopy(out, point, out, point + 1, end - point);
            out[point] = '.';
            return end + 1;
        }
        if (lead < 0 && lead >= -3) {
            out[at++] = '0';
            out[at++] = '.';
            for (int i = -1; i > lead; i--) {
                out[at++] = '0';
            }
            fillDigits(s, out, at, length);
            return at + length;
        }
        fillDigits(s, out, at + 1, length);
        out[at] = out[at + 1];
        out[at + 1] = '.';
        int end = at + length + 1;
        if (length == 1) {
            out[end++] = '0';
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

    private static int length(int s) {
        int n = 1;
        while (n < 10 && s >= POWERS_OF_TEN[n]) {
            n++;
        }
        return n;
    }

    /** Writes the {@code length} digits of s, two at a time. */
    private static void fillDigits(int s, char[] out, int at, int length) {
        int i = at + length;
        while (i - at >= 2) {
            int pair = (s % 100) * 2;
            s /= 100;
            out[--i] = DIGIT_PAIRS[pair + 1];
            out[--i] = DIGIT_PAIRS[pair];
        }
        if (i > at) {
            out[at] = (char) ('0' + s);
        }
    }
}
