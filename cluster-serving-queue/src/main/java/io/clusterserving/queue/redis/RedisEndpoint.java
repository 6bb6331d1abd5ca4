package io.clusterserving.queue.redis;

import io.clusterserving.core.error.ServingException;
import io.lettuce.core.RedisURI;

import java.time.Duration;

/**
 * Where Redis is: a {@code redis://[:password@]host:port[/db]} URI ({@code rediss://} for TLS), with an
 * optional password and TLS switch that override the URI (so a password need not sit in a URI string
 * that ends up in logs). Plain values, so a Flink operator can carry them and connect in {@code open()}.
 *
 * @param password        null keeps whatever the URI says
 * @param tls             null keeps whatever the URI scheme says
 * @param commandTimeout  how long a command may take; must exceed every blocking read's block time
 * @param trustStore      TLS: the trust store with the server certificate's CA; null = the JVM's default
 */
public record RedisEndpoint(String uri, String password, Boolean tls, Duration commandTimeout,
                            RedisTrustStore trustStore) {
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);

    public RedisEndpoint {
        if (uri == null || uri.isBlank()) {
            throw ServingException.invalidArgument("Redis URI is missing; expected redis://host:port");
        }
        if (commandTimeout == null) {
            commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        }
    }

    public static RedisEndpoint of(String uri) {
        return new RedisEndpoint(uri, null, null, null, null);
    }

    public RedisEndpoint withPassword(String newPassword) {
        return new RedisEndpoint(uri, newPassword, tls, commandTimeout, trustStore);
    }

    /** TLS connections trust the CAs in {@code store} (instead of the JVM's default trust store). */
    public RedisEndpoint withTrustStore(RedisTrustStore store) {
        return new RedisEndpoint(uri, password, tls, commandTimeout, store);
    }

    /** Whether connections use TLS: the explicit switch, else the URI scheme ({@code rediss://}). */
    public boolean usesTls() {
        return toRedisURI().isSsl();
    }

    /** Lettuce's view of this endpoint; rejects a malformed URI with INVALID_ARGUMENT. */
    @SuppressWarnings("deprecation") // setPassword(CharSequence) is the plain-password path Lettuce 6 still supports
    public RedisURI toRedisURI() {
        RedisURI r;
        try {
            r = RedisURI.create(uri);
        } catch (IllegalArgumentException e) {
            throw ServingException.invalidArgument("Redis URI '%s' is malformed: %s", redacted(), e.getMessage());
        }
        if (password != null) {
            r.setPassword((CharSequence) password);
        }
        if (tls != null) {
            r.setSsl(tls);
        }
        r.setTimeout(commandTimeout);
        return r;
    }

    /** The URI with any password masked, for messages and logs. */
    public String redacted() {
        return uri.replaceAll("//([^@/]*)@", "//***@");
    }

    @Override
    public String toString() {
        return "RedisEndpoint[" + redacted() + (tls != null ? ", tls=" + tls : "")
                + (trustStore != null ? ", trustStore=" + trustStore.path() : "") + "]";
    }
}
