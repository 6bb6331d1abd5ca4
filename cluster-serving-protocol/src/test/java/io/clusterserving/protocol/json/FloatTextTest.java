package io.clusterserving.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import io.clusterserving.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * FloatText must write exactly the text Jackson's writeNumber(float) writes (the JSON responses
 * stay byte for byte what they were). Jackson's own shortest-decimal writer is the oracle here; the
 * class was also checked on all 2^31 - 2^23 positive finite floats against Java 25's Float.toString
 * (which implements the same specification), outside the suite: four minutes on two cores.
 */
class FloatTextTest {
    private static String jackson(float v) {
        return NumberOutput.toString(v, true);
    }

    private static String text(float v) {
        char[] out = new char[FloatText.ROOM];
        return new String(out, 0, FloatText.write(v, out, 0));
    }

    private static void assertSameAsJackson(float v) {
        assertThat(text(v)).as("bits %08x", Float.floatToRawIntBits(v)).isEqualTo(jackson(v));
    }

    /**
     * Java 19+ texts, written out so the layout itself is pinned. Float.MIN_NORMAL is 1.1754944E-38:
     * Java 17 and older wrote the longer 1.17549435E-38, which is not the shortest.
     */
    @ParameterizedTest
    @CsvSource({
            "0.0, 0.0", "-0.0, -0.0", "1.0, 1.0", "2.5, 2.5", "-2.5, -2.5", "100, 100.0", "0.1, 0.1",
            "0.001, 0.001", "0.0001, 1.0E-4", "1234567, 1234567.0", "9999999, 9999999.0", "1.0E7, 1.0E7",
            "16777216, 1.6777216E7", "1.0E10, 1.0E10", "0.33333334, 0.33333334", "-1.2345678E-5, -1.2345678E-5",
            "1.4E-45, 1.4E-45", "1.17549435E-38, 1.1754944E-38", "3.4028235E38, 3.4028235E38"})
    void writesJavasLayout(String input, String expected) {
        assertThat(text(Float.parseFloat(input))).isEqualTo(expected);
    }

    @Test
    void agreesWithJacksonOnRandomFloats() {
        SplittableRandom random = new SplittableRandom(20261122);
        for (int i = 0; i < 1_000_000; i++) {
            int bits = random.nextInt();
            if ((bits & 0x7F80_0000) != 0x7F80_0000) {
                assertSameAsJackson(Float.intBitsToFloat(bits));
            }
        }
        for (int i = 0; i < 300_000; i++) { // model-output-like values
            assertSameAsJackson((float) random.nextGaussian());
            assertSameAsJackson((float) (random.nextInt(100_000) / 1000.0));
        }
    }

    /**
     * Where the rounding interval is lopsided (the bottom of each binade), near powers of ten (where
     * the digit count changes), the subnormals (where two digits are considered: 1.4E-45) and the top.
     */
    @Test
    void agreesWithJacksonAtTheHardPlaces() {
        List<Integer> centres = new ArrayList<>();
        for (int exponent = 0; exponent < 255; exponent++) {
            centres.add(exponent << 23);
        }
        for (int p = -45; p <= 38; p++) {
            centres.add(Float.floatToRawIntBits(Float.parseFloat("1e" + p)));
        }
        centres.add(Float.floatToRawIntBits(Float.MAX_VALUE));
        for (int centre : centres) {
            for (int bits = Math.max(1, centre - 300); bits <= Math.min(0x7F7F_FFFF, centre + 300); bits++) {
                assertSameAsJackson(Float.intBitsToFloat(bits));
            }
        }
        for (int bits = 1; bits < 50_000; bits++) {
            assertSameAsJackson(Float.intBitsToFloat(bits));
        }
    }

    /** The integer route and the BigDecimal statement of the definition pick the same decimal. */
    @Test
    void integerRouteAgreesWithTheDefinition() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            int bits = random.nextInt(1, 0x7F80_0000);
            assertThat(normalized(FloatText.decimal(bits))).as("bits %08x", bits)
                    .isEqualTo(normalized(FloatText.exact(bits)));
        }
        for (int exponent = 1; exponent < 255; exponent++) { // the lopsided intervals, and their neighbours
            for (int bits = (exponent << 23) - 2; bits <= (exponent << 23) + 2; bits++) {
                assertThat(normalized(FloatText.decimal(bits))).as("bits %08x", bits)
                        .isEqualTo(normalized(FloatText.exact(bits)));
            }
        }
    }

    /** Two-digit answers where one digit would do (1.4E-45), large integers, ties to even. */
    @Test
    void edgeCasesOfTheDefinition() {
        for (int bits = 1; bits < 100; bits++) { // the smallest subnormals, some taking the exact route
            assertSameAsJackson(Float.intBitsToFloat(bits));
        }
        assertThat(text(Float.intBitsToFloat(1))).isEqualTo("1.4E-45");
        assertThat(text(Float.intBitsToFloat(2))).isEqualTo("2.8E-45");
        assertThat(text(1.0E10f)).isEqualTo("1.0E10");
        assertThat(text(1.23456794E9f)).isEqualTo(jackson(1.23456794E9f));
        assertThat(text(0.3f)).isEqualTo("0.3"); // a multiple of 10^(k+1) inside the interval
        assertThat(text(8388609f)).isEqualTo("8388609.0"); // 2^23 + 1: the interval's width is exactly 10^0
    }

    /** The word-at-a-time digit split against division, for every eight-digit number. */
    @Test
    void eightDigitsSplitsEveryNumberBelowTenToTheEighth() {
        for (int x = 0; x < 100_000_000; x++) {
            long expected = 0;
            int y = x;
            for (int j = 7; j >= 0; j--) {
                expected |= (long) (y % 10) << (8 * j);
                y /= 10;
            }
            long digits = FloatText.eightDigits(x);
            if (digits != expected) { // asserting only on a difference keeps 10^8 checks to seconds
                assertThat(Long.toHexString(digits)).as("digits of %d", x).isEqualTo(Long.toHexString(expected));
            }
        }
    }

    @Test
    void refusesValuesWithoutADecimal() {
        char[] out = new char[FloatText.ROOM];
        for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> FloatText.write(v, out, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(v));
        }
    }

    /** Through JsonTensorWriter: finite values by FloatText, NaN and infinities still bare tokens. */
    @Test
    void tensorWriterTextIsUnchanged() throws IOException {
        float[] values = {0f, -0f, 1f, 0.1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, -Float.MAX_VALUE, 1.0E-4f, 12345.678f};
        Tensor t = Tensor.ofFloats(new long[] {values.length}, values);
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        try (JsonGenerator g = ServingJsonFactory.create().createGenerator(ours)) {
            JsonTensorWriter.writeNested(g, t, t.data(), 0, 0, JsonTensorWriter.BytesStyle.STRING);
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (JsonGenerator g = ServingJsonFactory.create().createGenerator(plain)) {
            g.writeStartArray();
            for (float v : values) {
                g.writeNumber(v);
            }
            g.writeEndArray();
        }
        String text = ours.toString(StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(plain.toString(StandardCharsets.UTF_8));
        assertThat(text).isEqualTo(
                "[0.0,-0.0,1.0,0.1,NaN,Infinity,-Infinity,1.4E-45,-3.4028235E38,1.0E-4,12345.678]");
    }

    /**
     * Long rows go out as raw runs: across run boundaries (1024 floats), with NaN and infinities at
     * the start, the end, a boundary and back to back, the text is still what writeNumber writes;
     * and a pretty-printing generator still gets its own layout.
     */
    @Test
    void rawRunsWriteTheSameTextAsOneNumberAtATime() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[2500];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        for (int i : new int[] {0, 1023, 1024, 1500, 1501, 2499}) {
            values[i] = i % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY;
        }
        Tensor t = Tensor.ofFloats(new long[] {values.length}, values);
        for (boolean pretty : new boolean[] {false, true}) {
            String ours = objectWithArray(pretty,
                    g -> JsonTensorWriter.writeNested(g, t, t.data(), 0, 0, JsonTensorWriter.BytesStyle.STRING));
            String plain = objectWithArray(pretty, g -> {
                g.writeStartArray();
                for (float v : values) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
            });
            assertThat(ours).as("pretty %s", pretty).isEqualTo(plain);
        }
    }

    private interface ArrayWriter {
        void write(JsonGenerator g) throws IOException;
    }

    /** {"x": <the array>, "after": 1}, so what the generator writes after the array is compared too. */
    private static String objectWithArray(boolean pretty, ArrayWriter array) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = ServingJsonFactory.create().createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            g.writeStartObject();
            g.writeFieldName("x");
            array.write(g);
            g.writeNumberField("after", 1);
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** (significand without trailing zeros, exponent) of a packed decimal. */
    private static String normalized(long decimal) {
        long s = FloatText.significand(decimal);
        int e = FloatText.exponent(decimal);
        while (s % 10 == 0) {
            s /= 10;
            e++;
        }
        return s + "e" + e;
    }
}
