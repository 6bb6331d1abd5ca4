package io.clusterserving.flink.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.config.RedisConnection;
import io.clusterserving.flink.testing.RedisProcess;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.queue.client.RedisQueueClient;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import io.clusterserving.queue.redis.RedisConnector;
import io.clusterserving.queue.testing.TlsCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The job against a redis-server that speaks only TLS with a certificate from a private CA:
 * {@code redisSecureEnabled} + {@code redisSecureTrustStorePath/Password} make the source, the sink
 * and the client all connect; a wrong trust store stops the start with the key and file named.
 */
class RedisTlsJobTest {
    private static final String JOB = "cs_tls";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static TlsCertificates tls;

    @BeforeAll
    static void createCertificates() throws Exception {
        tls = TlsCertificates.create(dir.resolve("tls"));
    }

    @Test
    void theJobServesOverTlsWithTheConfiguredTrustStore() throws Exception {
        ExampleModels.halfPlusTwo(dir);
        try (RedisProcess redis = RedisProcess.startTls(tls)) {
            ClusterServingConfig config = config(redis, tls.trustStore().toString(), tls.trustStorePassword());
            assertThat(RedisConnection.from(config).endpoint().usesTls()).isTrue();

            // Without the trust store the private CA is unknown and the TLS handshake fails, saying why.
            Map<String, Object> noTrustStore = new HashMap<>();
            noTrustStore.put("redisSecureTrustStorePath", null);
            noTrustStore.put("redisSecureTrustStorePassword", null);
            ClusterServingConfig untrusted = config.with(noTrustStore);
            try (RedisConnector connector = new RedisConnector(RedisConnection.from(untrusted).endpoint())) {
                assertThatThrownBy(connector::connect)
                        .isInstanceOf(ServingException.class)
                        .hasMessageContaining("TLS handshake failed")
                        .hasMessageContaining("unable to find valid certification path");
            }

            try (JobHandle job = ClusterServingJob.start(config);
                 RedisQueueClient client = RedisQueueClient.connect(redis.endpoint(), JOB)) {
                List<CompletableFuture<QueueResult>> results = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    results.add(client.predictAsync(
                            QueueRequest.of("tls-" + i, "{\"instances\": [" + i + "]}"), Duration.ofSeconds(60)));
                }
                for (int i = 0; i < 20; i++) {
                    QueueResult r = results.get(i).get();
                    assertThat(r.uri()).isEqualTo("tls-" + i);
                    assertThat(r.error()).as("tls-%d", i).isNull();
                    assertThat(JSON.readTree(r.value()).get("predictions").get(0).asDouble()).isEqualTo(0.5 * i + 2);
                }
            }
        }
    }

    @Test
    void aWrongTrustStoreStopsTheStartNamingTheKeyAndFile() {
        // No server needed: the trust store is checked while the job is built.
        Path missing = dir.resolve("missing.p12");
        assertThatThrownBy(() -> RedisConnection.from(tlsConfig(missing.toString(), "x")).verified())
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessage("config key 'redisSecureTrustStorePath': trust store file " + missing + " does not exist");
        assertThatThrownBy(() -> RedisConnection.from(tlsConfig(tls.trustStore().toString(), "wrong")).verified())
                .isInstanceOf(ServingException.class)
                .hasMessage("config key 'redisSecureTrustStorePassword': Redis TLS trust store " + tls.trustStore()
                        + " cannot be opened: wrong trust store password");
        assertThatThrownBy(() -> RedisConnection.from(tlsConfig(tls.caCertificate().toString(), "x")).verified())
                .isInstanceOf(ServingException.class)
                .hasMessageStartingWith("config key 'redisSecureTrustStorePath': Redis TLS trust store "
                        + tls.caCertificate() + " is not a JKS or PKCS12 key store");
        ClusterServingConfig plain = tlsConfig(tls.trustStore().toString(), tls.trustStorePassword())
                .with(Map.of("redisSecureEnabled", false));
        assertThatThrownBy(() -> RedisConnection.from(plain).verified())
                .hasMessageContaining("config key 'redisSecureTrustStorePath' is set but Redis at redis://")
                .hasMessageContaining("redisSecureEnabled: true");
        // Through the job's start, the same message.
        assertThatThrownBy(() -> ClusterServingJob.start(tlsConfig(missing.toString(), "x")))
                .isInstanceOf(ServingException.class)
                .hasMessageContaining("'redisSecureTrustStorePath'")
                .hasMessageContaining(missing.toString());
        assertThat(RedisConnection.from(tlsConfig(tls.trustStore().toString(), tls.trustStorePassword())).verified())
                .isNotNull();
    }

    private static ClusterServingConfig tlsConfig(String trustStore, String password) {
        return ClusterServingConfig.defaults(dir.resolve("model").toString()).with(Map.of(
                "jobName", JOB, "redisUrl", "127.0.0.1:1", "redisSecureEnabled", true, "webUiPort", 0,
                "redisSecureTrustStorePath", trustStore, "redisSecureTrustStorePassword", password));
    }

    private static ClusterServingConfig config(RedisProcess redis, String trustStore, String password) {
        return ClusterServingConfig.fromYaml("""
                modelPath: %s
                jobName: %s
                redisUrl: %s
                redisSecureEnabled: true
                redisSecureTrustStorePath: %s
                redisSecureTrustStorePassword: %s
                modelParallelism: 1
                batchSize: 8
                webUiPort: 0
                checkpointIntervalMillis: 2000
                """.formatted(dir.resolve(ExampleModels.HALF_PLUS_TWO), JOB, redis.url(), trustStore, password));
    }
}
