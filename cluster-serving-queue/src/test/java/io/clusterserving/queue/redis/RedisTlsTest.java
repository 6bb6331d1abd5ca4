package io.clusterserving.queue.redis;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.client.RedisQueueClient;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.testing.RedisEchoWorker;
import io.clusterserving.queue.testing.RedisServer;
import io.clusterserving.queue.testing.TlsCertificates;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real redis-server that speaks only TLS, with a certificate from a private CA: the endpoint's
 * trust store (PKCS12 or JKS) makes the connection work end to end; without it the handshake fails
 * with a message that says so; a wrong trust store is refused up front naming the file.
 */
class RedisTlsTest {
    @TempDir
    static Path dir;

    private static TlsCertificates certificates;
    private static RedisServer server;

    @BeforeAll
    static void startTlsServer() throws Exception {
        certificates = TlsCertificates.create(dir.resolve("tls"));
        server = RedisServer.startTls(certificates);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RedisEndpoint trusting() {
        return server.endpoint().withTrustStore(
                new RedisTrustStore(certificates.trustStore(), certificates.trustStorePassword()));
    }

    @Test
    void withTheTrustStoreCommandsAndTheQueueClientWorkOverTls() throws Exception {
        assertThat(trusting().usesTls()).isTrue();
        try (RedisConnector connector = new RedisConnector(trusting());
             StatefulRedisConnection<String, String> connection = connector.connect()) {
            RedisCommands<String, String> cmd = connection.sync();
            assertThat(cmd.ping()).isEqualTo("PONG");
            String id = cmd.xadd("tls-stream", Map.of("uri", "u-1", "data", "[1]"));
            assertThat(cmd.xrange("tls-stream", io.lettuce.core.Range.create("-", "+")))
                    .singleElement().satisfies(m -> {
                        assertThat(m.getId()).isEqualTo(id);
                        assertThat(m.getBody()).containsEntry("uri", "u-1");
                    });
        }
        // The client and a stand-in for the job (stream reader + result writer), both over TLS.
        try (RedisQueueClient client = RedisQueueClient.connect(trusting(), "tls-job");
             RedisEchoWorker worker = new RedisEchoWorker(trusting(), "tls-job", "w-0")) {
            String body = "{\"instances\":[[1.0,2.0]]}";
            QueueResult result = client.predict(QueueRequest.of("tls-1", body), Duration.ofSeconds(20));
            assertThat(result.uri()).isEqualTo("tls-1");
            assertThat(result.value()).isEqualTo(RedisEchoWorker.answer(body));
            assertThat(client.query("tls-1")).hasValueSatisfying(r -> assertThat(r.value()).isEqualTo(result.value()));
        }
    }

    @Test
    void aJksTrustStoreWorksToo() throws Exception {
        KeyStore pkcs12 = KeyStore.getInstance(certificates.trustStore().toFile(),
                certificates.trustStorePassword().toCharArray());
        KeyStore jks = KeyStore.getInstance("JKS");
        jks.load(null, null);
        jks.setCertificateEntry("ca", pkcs12.getCertificate(pkcs12.aliases().nextElement()));
        Path file = dir.resolve("truststore.jks");
        try (OutputStream out = Files.newOutputStream(file)) {
            jks.store(out, "jks-pass".toCharArray());
        }
        RedisEndpoint endpoint = server.endpoint().withTrustStore(new RedisTrustStore(file, "jks-pass"));
        try (RedisConnector connector = new RedisConnector(endpoint);
             StatefulRedisConnection<String, String> connection = connector.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
        }
    }

    @Test
    void withoutTheTrustStoreTheHandshakeFailsSayingWhy() {
        try (RedisConnector connector = new RedisConnector(server.endpoint())) {
            assertThatThrownBy(connector::connect)
                    .isInstanceOfSatisfying(ServingException.class,
                            e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE))
                    .hasMessageContaining("cannot connect to Redis at " + server.uri())
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining("unable to find valid certification path")
                    .hasMessageContaining("configure a trust store");
        }
    }

    @Test
    void aWrongPasswordIsRefusedNamingTheFile() {
        RedisEndpoint endpoint = server.endpoint()
                .withTrustStore(new RedisTrustStore(certificates.trustStore(), "not-the-password"));
        assertThatThrownBy(() -> new RedisConnector(endpoint))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessage("Redis TLS trust store " + certificates.trustStore()
                        + " cannot be opened: wrong trust store password");
    }

    @Test
    void aMissingFileOrOneThatIsNoKeyStoreIsRefusedNamingIt() {
        Path missing = dir.resolve("nope.p12");
        assertThatThrownBy(() -> new RedisConnector(
                server.endpoint().withTrustStore(new RedisTrustStore(missing, "x"))))
                .isInstanceOf(ServingException.class)
                .hasMessage("Redis TLS trust store file " + missing + " does not exist");
        Path pem = certificates.caCertificate();
        assertThatThrownBy(() -> new RedisConnector(
                server.endpoint().withTrustStore(new RedisTrustStore(pem, "x"))))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageStartingWith("Redis TLS trust store " + pem + " is not a JKS or PKCS12 key store");
    }

    @Test
    void theTrustStorePasswordIsNeverPrinted() {
        RedisEndpoint endpoint = trusting();
        assertThat(endpoint.toString()).contains(certificates.trustStore().toString())
                .doesNotContain(certificates.trustStorePassword());
    }
}
