package io.clusterserving.queue.redis;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import javax.net.ssl.SSLException;
import java.util.concurrent.TimeUnit;

/**
 * A Lettuce client for one {@link RedisEndpoint} with explicitly small thread pools (Lettuce would
 * otherwise size its event loops by core count). Readers, writers and clients each take their own
 * connection from it, because a blocking XREAD/XREADGROUP holds its connection for the block time.
 * An endpoint's trust store is loaded here, so a wrong path or password fails at construction.
 */
public final class RedisConnector implements AutoCloseable {
    private final RedisEndpoint endpoint;
    private final ClientResources resources;
    private final RedisClient client;

    public RedisConnector(RedisEndpoint endpoint) {
        this(endpoint, 1);
    }

    /** @param ioThreads Netty event-loop threads for all connections of this connector */
    public RedisConnector(RedisEndpoint endpoint, int ioThreads) {
        this.endpoint = endpoint;
        // Both may throw INVALID_ARGUMENT; before any thread pool exists.
        RedisURI uri = endpoint.toRedisURI();
        ClientOptions tls = endpoint.trustStore() == null ? null : ClientOptions.builder()
                .sslOptions(SslOptions.builder().jdkSslProvider()
                        .trustManager(endpoint.trustStore().trustManagers()).build())
                .build();
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(Math.max(1, ioThreads))
                .computationThreadPoolSize(1)
                // Nobody reads per-command latency histograms; recording them costs the I/O thread on every command.
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        this.client = RedisClient.create(resources, uri);
        if (tls != null) {
            client.setOptions(tls);
        }
    }

    public RedisEndpoint endpoint() {
        return endpoint;
    }

    /** A new connection; the caller closes it. Fails with UNAVAILABLE naming the endpoint. */
    public StatefulRedisConnection<String, String> connect() {
        return connect(StringCodec.UTF8);
    }

    /** A new connection with its own key/value codec (e.g. bytes, to skip UTF-8 decoding); the caller closes it. */
    public <K, V> StatefulRedisConnection<K, V> connect(RedisCodec<K, V> codec) {
        try {
            return client.connect(codec);
        } catch (RedisException e) {
            throw new ServingException(StatusCode.UNAVAILABLE,
                    "cannot connect to Redis at " + endpoint.redacted() + ": " + e.getMessage() + tlsProblem(e), e);
        }
    }

    /** Lettuce says only "Unable to connect"; the TLS handshake's own words tell what to fix. */
    private String tlsProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return "; TLS handshake failed: " + t.getMessage() + (endpoint.trustStore() == null
                        ? " (is the server's CA in the JVM's trust store? else configure a trust store)"
                        : " (is the server's CA in the trust store " + endpoint.trustStore().path() + "?)");
            }
        }
        return "";
    }

    @Override
    public void close() {
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
