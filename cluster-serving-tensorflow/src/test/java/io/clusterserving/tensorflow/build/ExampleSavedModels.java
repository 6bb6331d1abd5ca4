package io.clusterserving.tensorflow.build;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.io.ParseExample;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * SavedModels and frozen graphs that this project builds with TensorFlow Java, for examples and tests.
 * They are NOT exported by TensorFlow's Python API; they imitate the structure of TF Serving's test
 * model {@code half_plus_two} (tensorflow_serving/servables/tensorflow/testdata) so the answers TF
 * Serving documents for it apply: a {@code tf_example} string placeholder parsed by ParseExample into
 * {@code x} and {@code x2} (both [-1,1]; x2 defaults to 0), variables a, b, c, a2, c2, and
 * {@code y = a*x + b}, {@code y2 = a*x + c}, {@code y3 = a2*x2 + c2}. Its signatures are the original's
 * (serving_default, classify_x_to_y, regress_x_to_y, regress_x_to_y2, and regress_x2_to_y3, whose input is
 * the float x2 itself, as in the original) plus {@link #CLASSIFY_X_TO_LABELS}. Unlike the original it has
 * no asset file (TF Java's exporter writes no assets).
 */
public final class ExampleSavedModels {
    /** Signature keys, as in TF Serving's half_plus_two. */
    public static final String CLASSIFY_X_TO_Y = "classify_x_to_y";
    public static final String REGRESS_X_TO_Y = "regress_x_to_y";
    public static final String REGRESS_X_TO_Y2 = "regress_x_to_y2";
    public static final String REGRESS_X2_TO_Y3 = "regress_x2_to_y3";
    /** Ours: a classify signature with string "classes" [n,2] ("y", "y2") and "scores" [n,2] (y, y2). */
    public static final String CLASSIFY_X_TO_LABELS = "classify_x_to_labels";

    private static final String PREDICT = "tensorflow/serving/predict";
    private static final String CLASSIFY = "tensorflow/serving/classify";
    private static final String REGRESS = "tensorflow/serving/regress";

    private ExampleSavedModels() {
    }

    /** half_plus_two: a = 0.5, b = 2, c = 3. */
    public static Path halfPlusTwo(Path dir) throws IOException {
        return halfPlus(dir, 0.5f, 2f, 3f);
    }

    /**
     * The same graph with other variable values (half_plus_three: b = 3, c = 4), e.g. as a second
     * version; a2 = a and c2 = c.
     */
    public static Path halfPlus(Path dir, float a, float b, float c) throws IOException {
        Files.createDirectories(dir.getParent());
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TString> examples = tf.withName("tf_example").placeholder(TString.class,
                    Placeholder.shape(Shape.of(-1)));
            ParseExample parsed = tf.io.parseExample(examples,
                    strings(tf), strings(tf), strings(tf, "x", "x2"), strings(tf),
                    List.<Operand<?>>of(tf.constant(new float[0]), tf.constant(new float[] {0f})),
                    0L, List.of(), List.of(), List.of(), List.of(Shape.of(1), Shape.of(1)));
            Operand<TFloat32> x = tf.withName("x").identity(parsed.denseValues().get(0).expect(TFloat32.class));
            Operand<TFloat32> x2 = tf.withName("x2").identity(parsed.denseValues().get(1).expect(TFloat32.class));
            Operand<TFloat32> va = tf.withName("a").variable(tf.constant(a));
            Operand<TFloat32> vb = tf.withName("b").variable(tf.constant(b));
            Operand<TFloat32> vc = tf.withName("c").variable(tf.constant(c));
            Operand<TFloat32> y = tf.withName("y").math.add(tf.math.mul(va, x), vb);
            Operand<TFloat32> y2 = tf.withName("y2").math.add(tf.math.mul(va, x), vc);
            Operand<TFloat32> va2 = tf.withName("a2").variable(tf.constant(a));
            Operand<TFloat32> vc2 = tf.withName("c2").variable(tf.constant(c));
            Operand<TFloat32> y3 = tf.withName("y3").math.add(tf.math.mul(va2, x2), vc2);

            Operand<TInt32> batch = tf.gather(tf.shape(x), tf.constant(new int[] {0}), tf.constant(0));
            Operand<TString> labels = tf.withName("labels").tile(
                    tf.constant(Shape.of(1, 2), DataBuffers.ofObjects("y", "y2")),
                    tf.concat(List.of(batch, tf.constant(new int[] {1})), tf.constant(0)));
            Operand<TFloat32> scores = tf.withName("scores").concat(List.of(y, y2), tf.constant(1));

            try (Session session = new Session(g)) {
                session.initialize();
                SavedModelBundle.exporter(dir.toString())
                        .withSession(session)
                        .withSignature(Signature.builder(Signature.DEFAULT_KEY).methodName(PREDICT)
                                .input("x", x).output("y", y).build())
                        .withSignature(Signature.builder(CLASSIFY_X_TO_Y).methodName(CLASSIFY)
                                .input("inputs", examples).output("scores", y).build())
                        .withSignature(Signature.builder(REGRESS_X_TO_Y).methodName(REGRESS)
                                .input("inputs", examples).output("outputs", y).build())
                        .withSignature(Signature.builder(REGRESS_X_TO_Y2).methodName(REGRESS)
                                .input("inputs", examples).output("outputs", y2).build())
                        .withSignature(Signature.builder(REGRESS_X2_TO_Y3).methodName(REGRESS)
                                .input("inputs", x2).output("outputs", y3).build())
                        .withSignature(Signature.builder(CLASSIFY_X_TO_LABELS).methodName(CLASSIFY)
                                .input("inputs", examples).output("classes", labels).output("scores", scores)
                                .build())
                        .export();
            }
        }
        return dir;
    }

    /**
     * A frozen graph {@code model.pb} with {@code graph_meta.json}: {@code output = input * 2 + 1} on a
     * float [-1,2] placeholder named "input".
     */
    public static Path frozenTimesTwoPlusOne(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> input = tf.withName("input").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, 2)));
            tf.withName("output").math.add(tf.math.mul(input, tf.constant(2f)), tf.constant(1f));
            Files.write(dir.resolve("model.pb"), g.toGraphDef().toByteArray());
        }
        Files.writeString(dir.resolve("graph_meta.json"),
                "{\"input_names\": [\"input:0\"], \"output_names\": [\"output:0\"]}\n");
        return dir;
    }

    private static Operand<TString> strings(Ops tf, String... values) {
        // TF Java refuses an empty String[] here, so empty vectors go through an explicit shape.
        return values.length == 0 ? tf.constant(Shape.of(0), DataBuffers.ofObjects(String.class, 0))
                : tf.constant(StandardCharsets.UTF_8, values);
    }
}
