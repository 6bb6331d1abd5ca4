package io.clusterserving.pmml;

import com.sun.net.httpserver.HttpServer;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.ModelFiles;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pmml4s.model.Model;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** XML safety of PMML loading: no DTD, so no entity — local file or network — is ever resolved. */
class PmmlDocumentReaderTest {
    private static final String SECRET = "TOP-SECRET-7d1f0c";
    private static final LoadContext CONTEXT = new LoadContext("wine", 1, 0, 0, Map.of());

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().toString());
            byte[] body = "<!ENTITY leaked \"x\">".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** A small valid regression model with {@code doctype} before the root and {@code text} inside it. */
    private static String model(String doctype, String text) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                %s
                <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
                  <Header description="demo"><Annotation>%s</Annotation></Header>
                  <DataDictionary>
                    <DataField name="y" optype="continuous" dataType="double"/>
                    <DataField name="x" optype="continuous" dataType="double"/>
                  </DataDictionary>
                  <RegressionModel functionName="regression">
                    <MiningSchema><MiningField name="y" usageType="target"/><MiningField name="x"/></MiningSchema>
                    <RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable>
                  </RegressionModel>
                </PMML>
                """.formatted(doctype, text);
    }

    private static String everything(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        StringBuilder all = new StringBuilder(out.toString());
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append('\n').append(c).append('\n').append(c.getLocalizedMessage());
            for (Throwable s : c.getSuppressed()) {
                all.append('\n').append(everything(s));
            }
        }
        return all.toString();
    }

    @Test
    void externalEntityPointingAtALocalFileIsRejectedAndTheFileNeverAppears() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
        Path versionDir = Files.createDirectory(dir.resolve("1"));
        PmmlDocuments.write(versionDir, "model.pmml", model(
                "<!DOCTYPE PMML [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>", "&x;"));

        Throwable thrown = catchThrowable(() -> new PmmlFormat().load(ModelFiles.find(new PmmlFormat(), versionDir),
                CONTEXT).close());

        assertThat(thrown).isInstanceOfSatisfying(ServingException.class, e -> {
            assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("model.pmml").contains("DOCTYPE");
        });
        assertThat(everything(thrown)).doesNotContain(SECRET);
    }

    @Test
    void externalEntitiesAndDtdsOverTheNetworkAreNeverFetched() throws Exception {
        List<String> doctypes = List.of(
                "<!DOCTYPE PMML [<!ENTITY x SYSTEM \"" + url("/general") + "\">]>",
                "<!DOCTYPE PMML [<!ENTITY % p SYSTEM \"" + url("/parameter") + "\"> %p;]>",
                "<!DOCTYPE PMML SYSTEM \"" + url("/external.dtd") + "\">");
        for (String doctype : doctypes) {
            Path file = PmmlDocuments.write(dir, "m.pmml", model(doctype, doctype.contains("ENTITY x") ? "&x;" : "plain"));
            assertThatThrownBy(() -> PmmlModel.load(file))
                    .as(doctype)
                    .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                    .hasMessageContaining("DOCTYPE");
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void pmml4sOnItsOwnWouldFetchExternalEntitiesWhichIsWhyTheScreenExists() {
        // Documents the dependency's behaviour: its StAX parser resolves entities unless screened first.
        String xml = model("<!DOCTYPE PMML [<!ENTITY % p SYSTEM \"" + url("/parameter") + "\"> %p;]>", "plain");
        catchThrowable(() -> Model.fromString(xml));
        assertThat(requests).containsExactly("/parameter");
    }

    @Test
    void internalEntityDeclarationsAreRejectedToo() throws Exception {
        // no external reference at all, but a DTD all the same (billion-laughs style expansion lives here)
        Path file = PmmlDocuments.write(dir, "m.pmml", model("<!DOCTYPE PMML [<!ENTITY a \"aaaa\">]>", "&a;"));
        assertThatThrownBy(() -> PmmlModel.load(file))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void plainDocumentWithByteOrderMarkLoadsAndScores() throws Exception {
        byte[] body = model("", "fine").getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Path file = Files.write(dir.resolve("bom.pmml"), withBom);

        try (PmmlModel model = PmmlModel.load(file)) {
            Tensor y = model.predict(Signature.DEFAULT_NAME, Map.of("x", Tensor.ofDoubles(new long[]{2}, 1, 4)), Set.of())
                    .get("predicted_y");
            assertThat(y.getDouble(0)).isEqualTo(3.0);
            assertThat(y.getDouble(1)).isEqualTo(9.0);
        }
    }

    @Test
    void malformedOrNonUtf8DocumentsAreRejectedWithTheReason() throws Exception {
        Path broken = PmmlDocuments.write(dir, "broken.pmml", "<?xml version=\"1.0\"?>\n<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header></PMML>");
        assertThatThrownBy(() -> PmmlModel.load(broken))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("broken.pmml");

        Path latin1 = Files.write(dir.resolve("latin1.pmml"),
                model("", "caf\u00e9").getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> PmmlModel.load(latin1))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("UTF-8");

        Path notPmml = PmmlDocuments.write(dir, "other.pmml", "<?xml version=\"1.0\"?>\n<html><body/></html>");
        assertThatThrownBy(() -> PmmlModel.load(notPmml))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining("other.pmml");
    }
}
