package io.clusterserving.bench.cluster;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.queue.redis.RedisConnector;
import io.clusterserving.queue.redis.RedisEndpoint;
import io.clusterserving.queue.redis.RedisTrustStore;
import io.clusterserving.queue.testing.RedisServer;
import io.clusterserving.queue.testing.RedisServerExtension;
import io.clusterserving.queue.testing.TlsCertificates;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bench's hand-written RESP client against real redis-servers (plain, password, TLS). */
@ExtendWith(RedisServerExtension.class)
class RedisXaddPipelineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String BODY = "{\"instances\": [[1.5, \"grün\"]]}";

    @Test
    void everyEntryArrivesInOrderWithItsFieldsAndTheLastIdIsReturned(RedisServer redis) {
        try (RedisXaddPipeline pipeline = RedisXaddPipeline.open(redis.endpoint(), TIMEOUT);
             RedisConnector connector = new RedisConnector(redis.endpoint());
             StatefulRedisConnection<String, String> connection = connector.connect()) {
            String first = pipeline.xadd("xadd_plain", "a-", 3_000, BODY, null, TIMEOUT);
            String second = pipeline.xadd("xadd_plain", "b-", 10, BODY, "dense128", TIMEOUT);

            RedisCommands<String, String> sync = connection.sync();
            assertThat(sync.xlen("xadd_plain")).isEqualTo(3_010);
            List<StreamMessage<String, String>> all = sync.xrange("xadd_plain", Range.create("-", "+"));
            assertThat(all.get(0).getBody()).containsExactly(Map.entry("uri", "a-0"), Map.entry("data", BODY));
            assertThat(all.get(2_999).getBody()).containsEntry("uri", "a-2999");
            assertThat(all.get(2_999).getId()).isEqualTo(first);
            assertThat(all.get(3_009).getBody()).containsExactly(Map.entry("uri", "b-9"), Map.entry("data", BODY),
                    Map.entry("model", "dense128"));
            assertThat(all.get(3_009).getId()).isEqualTo(second);
        }
    }

    @Test
    void errorRepliesAreCountedAndTheFirstIsNamed(RedisServer redis) throws Exception {
        redis.cli("SET", "xadd_not_a_stream", "x");
        try (RedisXaddPipeline pipeline = RedisXaddPipeline.open(redis.endpoint(), TIMEOUT)) {
            assertThatThrownBy(() -> pipeline.xadd("xadd_not_a_stream", "u", 5, BODY, null, TIMEOUT))
                    .isInstanceOfSatisfying(ServingException.class,
                            e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE))
                    .hasMessageContaining("5 of 5 XADDs")
                    .hasMessageContaining("WRONGTYPE");
            // The connection is still in step: the next burst works.
            assertThat(pipeline.xadd("xadd_after_error", "u", 2, BODY, null, TIMEOUT)).isNotBlank();
        }
    }

    @Test
    void authenticatesWithTheEndpointsPasswordAndSelectsItsDatabase() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            redis.cli("CONFIG", "SET", "requirepass", "s3cret");
            RedisEndpoint wrong = RedisEndpoint.of(redis.uri()).withPassword("nope");
            assertThatThrownBy(() -> RedisXaddPipeline.open(wrong, TIMEOUT))
                    .isInstanceOfSatisfying(ServingException.class,
                            e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE))
                    .hasMessageContaining("AUTH was refused");

            RedisEndpoint endpoint = RedisEndpoint.of(redis.uri() + "/3").withPassword("s3cret");
            try (RedisXaddPipeline pipeline = RedisXaddPipeline.open(endpoint, TIMEOUT);
                 RedisConnector connector = new RedisConnector(endpoint);
                 StatefulRedisConnection<String, String> connection = connector.connect()) {
                pipeline.xadd("xadd_auth", "u", 4, BODY, null, TIMEOUT);
                assertThat(connection.sync().xlen("xadd_auth")).as("in database 3").isEqualTo(4);
            }
        }
    }

    @Test
    void speaksTlsWithTheEndpointsTrustStore(@TempDir Path dir) throws Exception {
        TlsCertificates certificates = TlsCertificates.create(dir);
        try (RedisServer redis = RedisServer.startTls(certificates)) {
            RedisEndpoint endpoint = redis.endpoint().withTrustStore(
                    new RedisTrustStore(certificates.trustStore(), certificates.trustStorePassword()));
            try (RedisXaddPipeline pipeline = RedisXaddPipeline.open(endpoint, TIMEOUT);
                 RedisConnector connector = new RedisConnector(endpoint);
                 StatefulRedisConnection<String, String> connection = connector.connect()) {
                String last = pipeline.xadd("xadd_tls", "u", 50, BODY, null, TIMEOUT);
                List<StreamMessage<String, String>> newest = connection.sync()
                        .xrevrange("xadd_tls", Range.create("-", "+"), Limit.from(1));
                assertThat(newest.get(0).getId()).isEqualTo(last);
                assertThat(newest.get(0).getBody()).containsEntry("uri", "u49");
            }
        }
    }
}
