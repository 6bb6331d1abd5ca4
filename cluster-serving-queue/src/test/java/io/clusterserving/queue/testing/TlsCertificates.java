package io.clusterserving.queue.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate it signed (for 127.0.0.1 and
 * localhost), made with the JDK's own {@code keytool} so tests need no openssl: PEM files for a TLS
 * server and a PKCS12 trust store holding the CA for the client.
 *
 * @param caCertificate     the CA's certificate (PEM)
 * @param serverCertificate the server's certificate (PEM), signed by the CA
 * @param serverKey         the server's private key (PEM, unencrypted PKCS#8)
 * @param trustStore        PKCS12 trust store with the CA's certificate
 * @param trustStorePassword its password
 */
public record TlsCertificates(Path caCertificate, Path serverCertificate, Path serverKey, Path trustStore,
                              String trustStorePassword) {
    private static final String STORE_PASSWORD = "test-only";

    /** Creates the files in {@code dir} (four keytool runs: a few seconds). */
    public static TlsCertificates create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.p12");
        Path server = dir.resolve("server.p12");
        Path request = dir.resolve("server.csr");
        Path serverPem = dir.resolve("server.crt");
        Path caPem = dir.resolve("ca.crt");
        keytool("-genkeypair", "-keystore", ca.toString(), "-alias", "ca", "-dname", "CN=cluster-serving test CA",
                "-keyalg", "EC", "-groupname", "secp256r1", "-ext", "bc:c", "-validity", "2");
        keytool("-genkeypair", "-keystore", server.toString(), "-alias", "server", "-dname", "CN=localhost",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2");
        keytool("-certreq", "-keystore", server.toString(), "-alias", "server", "-file", request.toString());
        keytool("-gencert", "-keystore", ca.toString(), "-alias", "ca", "-infile", request.toString(),
                "-outfile", serverPem.toString(), "-rfc", "-validity", "2",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "ku:c=digitalSignature,keyAgreement",
                "-ext", "eku=serverAuth");
        try {
            KeyStore serverStore = KeyStore.getInstance(server.toFile(), STORE_PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) serverStore.getKey("server", STORE_PASSWORD.toCharArray());
            Path keyPem = dir.resolve("server.key");
            Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));

            Certificate caCert = KeyStore.getInstance(ca.toFile(), STORE_PASSWORD.toCharArray()).getCertificate("ca");
            Files.writeString(caPem, pem("CERTIFICATE", caCert.getEncoded()));
            String trustPassword = "trust-" + STORE_PASSWORD;
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("cluster-serving-test-ca", caCert);
            Path trustStore = dir.resolve("truststore.p12");
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, trustPassword.toCharArray());
            }
            return new TlsCertificates(caPem, serverPem, keyPem, trustStore, trustPassword);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not assemble the test TLS files in " + dir, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-noprompt"));
        // C1 only: keytool is a JVM start per call, and its work is tiny.
        command.add(1, "-J-XX:TieredStopAtLevel=1");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
        }
    }
}
