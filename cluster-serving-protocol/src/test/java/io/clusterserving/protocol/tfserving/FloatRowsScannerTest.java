package io.clusterserving.protocol.tfserving;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.protocol.json.ServingJsonFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

import static io.clusterserving.protocol.tfserving.TfPredictRequestDecoderTest.sig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fast path must decode exactly what the token-stream decoder decodes, bit for bit, and hand
 * everything else to it. Each body here goes through both and the tensors are compared.
 */
class FloatRowsScannerTest {
    private static final Signature ROWS = sig(new TensorSpec("x", DataType.FP32, new long[] {-1, -1}));
    private final TfPredictRequestDecoder decoder = new TfPredictRequestDecoder(ServingJsonFactory.create());

    /** Decodes {@code json} both ways, asserts the fast path took it and agrees; returns the tensor. */
    private Tensor sameBothWays(String json, Signature signature) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        TfPredictRequestDecoder.Decoded fast = FloatRowsScanner.tryDecode(b, 0, b.length, signature);
        assertThat(fast).as("fast path for %s", json).isNotNull();
        TfPredictRequestDecoder.Decoded full = decoder.decodeTokens(b, 0, b.length, signature);
        assertThat(fast.format()).isEqualTo(full.format());
        assertThat(fast.inputs().keySet()).isEqualTo(full.inputs().keySet());
        Tensor f = fast.inputs().get("x");
        Tensor t = full.inputs().get("x");
        assertThat(f.shape()).as("shape of %s", json).containsExactly(t.shape());
        assertThat(f.toByteArray()).as("bytes of %s", json).isEqualTo(t.toByteArray());
        return f;
    }

    private static String row(int n, Function<Integer, String> number) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(number.apply(i));
        }
        return sb.append(']').toString();
    }

    @Test
    void rowsAndFlatListsAsTheTokenStreamDecodesThem() {
        Tensor t = sameBothWays("{\"instances\": [[1, 2.5, -3], [4e1, 0.5E-1, -0.0]]}", ROWS);
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.getFloat(3)).isEqualTo(40f);
        assertThat(Float.floatToRawIntBits(t.getFloat(5))).isEqualTo(Float.floatToRawIntBits(-0.0f));
        Tensor flat = sameBothWays(" {\n\t\"instances\" : [ 1.0 , 2.0,5.0 ] }\r\n",
                sig(new TensorSpec("x", DataType.FP32, new long[] {-1})));
        assertThat(flat).isEqualTo(Tensor.ofFloats(new long[] {3}, 1f, 2f, 5f));
    }

    @Test
    void everyNumberFormRoundsAsTheTokenStreamDoes() {
        Random random = new Random(20261122);
        for (int round = 0; round < 300; round++) {
            String body = "{\"instances\": [" + row(64, i -> randomNumber(random)) + ","
                    + row(64, i -> randomNumber(random)) + "]}";
            sameBothWays(body, ROWS);
        }
    }

    /**
     * Fractions are read eight digits at a time: every length around the chunk boundaries and the
     * mantissa's 18-digit limit, with runs of zeros and nines, before and after the point.
     */
    @Test
    void fractionsOfEveryLengthRoundAsTheTokenStreamDoes() {
        Random random = new Random(11);
        String[] fills = {"0", "9", "5", "1"};
        for (int round = 0; round < 120; round++) {
            StringBuilder body = new StringBuilder("{\"instances\": [");
            for (int length = 1; length <= 26; length++) {
                StringBuilder fraction = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    fraction.append(random.nextInt(3) == 0 ? fills[random.nextInt(fills.length)]
                            : Integer.toString(random.nextInt(10)));
                }
                String whole = switch (random.nextInt(4)) {
                    case 0 -> "0";
                    case 1 -> Integer.toString(random.nextInt(10));
                    case 2 -> Long.toString(random.nextLong() >>> (1 + random.nextInt(62)));
                    default -> Integer.toString(random.nextInt(1000));
                };
                String exponent = random.nextInt(3) == 0 ? "e" + (random.nextInt(41) - 20) : "";
                body.append(length == 1 ? "" : ",").append(random.nextBoolean() ? "-" : "").append(whole).append('.')
                        .append(fraction).append(exponent);
            }
            sameBothWays(body.append("]}").toString(), sig(new TensorSpec("x", DataType.FP32, new long[] {-1})));
        }
    }

    /** The opening check answers exactly when a token stream would see {@code "instances"} as the first key. */
    @Test
    void opensWithInstancesOnlyForAnOpeningInstancesKey() {
        for (String body : new String[] {"{\"instances\":[1]}", " \n{ \t\"instances\" :[1]}", "{\"instances\":"}) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            assertThat(TfPredictRequestDecoder.opensWithInstances(b, 0, b.length)).as(body).isTrue();
        }
        for (String body : new String[] {"", "{", "{\"instances\"", "{\"instances\" x", "{\"instance\":[1]}",
                "{\"instancesX\":[1]}", "[\"instances\":1]", "{\"inputs\":[],\"instances\":[1]}", "{\"Instances\":1}"}) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            assertThat(TfPredictRequestDecoder.opensWithInstances(b, 0, b.length)).as(body).isFalse();
        }
        // Only the given slice counts: the key cut off by the slice's end is not there.
        byte[] b = "xx{\"instances\":[1]}".getBytes(StandardCharsets.UTF_8);
        assertThat(TfPredictRequestDecoder.opensWithInstances(b, 2, b.length - 2)).isTrue();
        assertThat(TfPredictRequestDecoder.opensWithInstances(b, 2, 8)).isFalse();
    }

    /** The word-at-a-time digit helpers against a byte loop, with every byte value after the digits. */
    @Test
    void eightDigitsAtATime() {
        Random random = new Random(3);
        for (int n = 0; n <= 8; n++) {
            for (int other = 0; other < 256; other++) {
                byte[] bytes = new byte[8];
                long expected = 0;
                for (int i = 0; i < 8; i++) {
                    bytes[i] = i < n ? (byte) ('0' + random.nextInt(10)) : (byte) (i == n ? other : random.nextInt(256));
                    if (i < n) {
                        expected = expected * 10 + (bytes[i] - '0');
                    }
                }
                long word = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                boolean otherIsDigit = n < 8 && other >= '0' && other <= '9';
                int digits = FloatRowsScanner.leadingDigits(word);
                if (!otherIsDigit) {
                    assertThat(digits).as("digits of %s", java.util.Arrays.toString(bytes)).isEqualTo(n);
                }
                if (n > 0) {
                    assertThat(FloatRowsScanner.digitsValue(word, n)).as("value of %s", java.util.Arrays.toString(bytes))
                            .isEqualTo(expected);
                }
            }
        }
        assertThat(FloatRowsScanner.digitsValue(0x3939393939393939L, 8)).isEqualTo(99_999_999L);
    }

    /** Decimal strings within a hair of the midpoint between two floats: where rounding twice goes wrong. */
    @Test
    void nearFloatMidpointsRoundCorrectly() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            String body = "{\"instances\": [" + row(32, i -> nearMidpoint(random)) + "]}";
            sameBothWays(body, ROWS);
        }
        // A decimal that is exactly a float midpoint (ties to even) and its neighbours.
        BigDecimal mid = new BigDecimal(1f).add(new BigDecimal(Math.ulp(1f)).divide(BigDecimal.valueOf(2)));
        sameBothWays("{\"instances\": [[" + mid.toPlainString() + ", " + mid.add(new BigDecimal("1e-30")) + ", "
                + mid.subtract(new BigDecimal("1e-30")).toPlainString() + "]]}", ROWS);
    }

    @Test
    void extremesAndSubnormals() {
        sameBothWays("{\"instances\": [[3.4028235e38, 3.4028236e38, 1e39, -1e39, 1.4e-45, 1e-46, 1.17549435E-38,"
                + " 1.1754942E-38, 123456789012345678, -999999999999999999, 0e12345678901, 1e-400, 16777217,"
                + " 16777217.0, 9007199254740993, 9007199254740993.0, 0.30000000000000004, 1E+2, 1e-0]]}", ROWS);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"instances\": [[1, 2], [3]]}",                       // ragged: the full decoder names it
            "{\"instances\": []}",
            "{\"instances\": [[]]}",
            "{\"instances\": [[NaN, 1]]}",
            "{\"instances\": [[1, Infinity]]}",
            "{\"instances\": [[01]]}",
            "{\"instances\": [[1.]]}",
            "{\"instances\": [[.5]]}",
            "{\"instances\": [[+1]]}",
            "{\"instances\": [[1e]]}",
            "{\"instances\": [[1, 2,]]}",
            "{\"instances\": [[1 2]]}",
            "{\"instances\": [[1, 2]]",
            "{\"instances\": [[1, 2]]} x",
            "{\"instances\": [[1, \"2\"]]}",
            "{\"instances\": [[[1]]]}",
            "{\"instances\": [[1], 2]}",
            "{\"instances\": [1, [2]]}",
            "{\"signature_name\": \"serving_default\", \"instances\": [[1]]}",
            "{\"instances\": [[1]], \"inputs\": [[1]]}",
            "{\"inputs\": [[1]]}",
            "{\"instances\": [[12345678901234567890]]}",
            "{\"instances\": [{\"x\": [1]}]}",
            "[1]",
            ""
    })
    void anythingElseGoesToTheFullDecoder(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        assertThat(FloatRowsScanner.tryDecode(b, 0, b.length, ROWS)).isNull();
    }

    @Test
    void errorsStillComeFromTheFullDecoder() {
        assertThatThrownBy(() -> decode("{\"instances\": [[1, 2], [3]]}"))
                .isInstanceOf(ServingException.class).hasMessageContaining("instances[1]")
                .hasMessageContaining("expected a list of 2 elements, got 1");
        assertThatThrownBy(() -> decode("{\"instances\": [[1, 2,]]}")).isInstanceOf(ServingException.class);
    }

    @Test
    void onlyForOneFloatInput() {
        byte[] b = "{\"instances\": [[1, 2]]}".getBytes(StandardCharsets.UTF_8);
        assertThat(FloatRowsScanner.tryDecode(b, 0, b.length,
                sig(new TensorSpec("x", DataType.FP64, new long[] {-1, 2})))).isNull();
        assertThat(FloatRowsScanner.tryDecode(b, 0, b.length, sig(new TensorSpec("x", DataType.FP32, new long[] {-1, 2}),
                new TensorSpec("z", DataType.FP32, new long[] {-1, 2})))).isNull();
    }

    @Test
    void readsOnlyItsSliceOfTheArray() {
        String json = "{\"instances\": [[1.5, 2]]}";
        byte[] framed = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        TfPredictRequestDecoder.Decoded d = FloatRowsScanner.tryDecode(framed, 2, json.length(), ROWS);
        assertThat(d).isNotNull();
        assertThat(d.inputs().get("x")).isEqualTo(Tensor.ofFloats(new long[] {1, 2}, 1.5f, 2f));
    }

    private TfPredictRequestDecoder.Decoded decode(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return decoder.decode(b, 0, b.length, ROWS);
    }

    private static String randomNumber(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> Integer.toString(r.nextInt());
            case 1 -> String.format(Locale.ROOT, "%.6f", r.nextFloat() * 2 - 1);
            case 2 -> Float.toString(Float.intBitsToFloat(r.nextInt())).replace("Infinity", "1e39").replace("NaN", "0");
            case 3 -> Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20));
            case 4 -> Double.toString(r.nextDouble()); // Python-like 17-digit reprs
            case 5 -> String.format(Locale.ROOT, "%.3e", r.nextGaussian() * 1e10);
            case 6 -> Long.toString(r.nextLong() >> (4 + r.nextInt(59))); // up to 18 digits (more: the full decoder)
            case 7 -> (r.nextBoolean() ? "-" : "") + "0.000" + (1 + r.nextInt(99999999)) + "e" + (r.nextInt(60) - 30);
            default -> (r.nextBoolean() ? "-" : "") + r.nextInt(100) + "." + "0".repeat(r.nextInt(5)) + r.nextInt(1000);
        };
    }

    private static String nearMidpoint(Random r) {
        float f = Float.intBitsToFloat(r.nextInt(0x7f000000) + 0x00800000); // a positive normal float
        BigDecimal lo = new BigDecimal(f);
        BigDecimal mid = lo.add(new BigDecimal(Math.nextUp(f)).subtract(lo).divide(BigDecimal.valueOf(2)));
        // The midpoint cut to 16 significant digits (a mantissa below 2^53 takes the double route), and nudged by
        // one unit of the 16th digit.
        BigDecimal cut = mid.round(new java.math.MathContext(16));
        BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(cut.precision() - cut.scale() - 16);
        return switch (r.nextInt(3)) {
            case 0 -> cut.toString();
            case 1 -> cut.add(unit).toString();
            default -> cut.subtract(unit).toString();
        };
    }
}
