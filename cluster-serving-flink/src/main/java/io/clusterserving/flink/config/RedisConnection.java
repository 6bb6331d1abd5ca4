package io.clusterserving.flink.config;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.queue.redis.RedisEndpoint;
import io.clusterserving.queue.redis.RedisTrustStore;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.UnrecoverableKeyException;

/**
 * Where Redis is, as plain serializable values a Flink operator carries to its task manager and turns
 * into a {@link RedisEndpoint} in {@code open()}.
 *
 * @param uri                {@code redis://host:port} or {@code rediss://host:port}
 * @param password           null = none (or whatever the URI says)
 * @param trustStorePath     TLS: JKS or PKCS12 trust store with the server certificate's CA; null = the
 *                           JVM's default trust store. Every task manager must be able to read it.
 * @param trustStorePassword its password (null = none)
 */
public record RedisConnection(String uri, String password, String trustStorePath, String trustStorePassword)
        implements Serializable {
    static final String TRUST_STORE_PATH_KEY = "redisSecureTrustStorePath";
    static final String TRUST_STORE_PASSWORD_KEY = "redisSecureTrustStorePassword";

    public static RedisConnection from(ClusterServingConfig config) {
        return new RedisConnection(config.redisUri(), config.redisPassword(), config.redisSecureTrustStorePath(),
                config.redisSecureTrustStorePassword());
    }

    public RedisEndpoint endpoint() {
        RedisEndpoint e = RedisEndpoint.of(uri);
        if (password != null) {
            e = e.withPassword(password);
        }
        if (trustStorePath != null) {
            e = e.withTrustStore(new RedisTrustStore(Path.of(trustStorePath), trustStorePassword));
        }
        return e;
    }

    /**
     * Checks the TLS settings where the job is built, so a wrong trust store fails the start with a
     * message naming the config key and the file (instead of every task failing in {@code open()}
     * and restarting forever).
     */
    public RedisConnection verified() {
        if (trustStorePath == null) {
            if (trustStorePassword != null) {
                throw ServingException.invalidArgument("config key '%s' is set but '%s' is not",
                        TRUST_STORE_PASSWORD_KEY, TRUST_STORE_PATH_KEY);
            }
            return this;
        }
        RedisEndpoint endpoint = endpoint();
        if (!endpoint.usesTls()) {
            throw ServingException.invalidArgument("config key '%s' is set but Redis at %s is not reached over TLS; "
                    + "set redisSecureEnabled: true (or a rediss:// redisUrl)", TRUST_STORE_PATH_KEY,
                    endpoint.redacted());
        }
        Path file = Path.of(trustStorePath);
        if (!Files.isRegularFile(file)) {
            throw ServingException.invalidArgument("config key '%s': trust store file %s does not exist",
                    TRUST_STORE_PATH_KEY, file.toAbsolutePath());
        }
        try {
            endpoint.trustStore().trustManagers();
        } catch (ServingException e) {
            String key = causedBy(e, UnrecoverableKeyException.class) ? TRUST_STORE_PASSWORD_KEY : TRUST_STORE_PATH_KEY;
            throw new ServingException(e.code(), "config key '" + key + "': " + e.getMessage(), e);
        }
        return this;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return endpoint().toString();
    }
}
