package io.clusterserving.queue.redis;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;

import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;

/**
 * The trust store (JKS or PKCS12) holding the CA that signed the Redis server's TLS certificate, for
 * servers whose certificate the JVM's default trust store does not know (a private CA, self-signed).
 *
 * @param path     the key store file
 * @param password its password; null for a store without one
 */
public record RedisTrustStore(Path path, String password) {

    public RedisTrustStore {
        if (path == null) {
            throw ServingException.invalidArgument("Redis TLS trust store path is missing");
        }
    }

    /**
     * Opens the file (its type, JKS or PKCS12, is detected from its content) and builds trust managers
     * from it. Every failure is INVALID_ARGUMENT naming the file and saying whether it is missing,
     * not a key store, or opened with the wrong password.
     */
    public TrustManagerFactory trustManagers() {
        if (!Files.isRegularFile(path)) {
            throw ServingException.invalidArgument("Redis TLS trust store file %s does not exist", path);
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance(path.toFile(), password == null ? null : password.toCharArray());
        } catch (IOException e) {
            // The cause (UnrecoverableKeyException for a wrong password) stays attached, so callers
            // can tell which of their settings to blame.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw invalid(e, "Redis TLS trust store %s cannot be opened: wrong trust store password", path);
            }
            throw invalid(e, "Redis TLS trust store %s cannot be read: %s", path, e.getMessage());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // KeyStore.getInstance(File, ...) says KeyStoreException for a file that is no key store
            // of any type it knows.
            throw invalid(e, "Redis TLS trust store %s is not a JKS or PKCS12 key store: %s", path, e.getMessage());
        }
        try {
            if (store.size() == 0) {
                throw ServingException.invalidArgument("Redis TLS trust store %s holds no certificates%s", path,
                        password == null ? " (or only ones protected by a password, and none was given)" : "");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException e) {
            throw invalid(e, "Redis TLS trust store %s is unusable: %s", path, e.getMessage());
        }
    }

    private static ServingException invalid(Exception cause, String format, Object... args) {
        return new ServingException(StatusCode.INVALID_ARGUMENT, String.format(format, args), cause);
    }

    @Override
    public String toString() {
        // Never print the password.
        return "RedisTrustStore[" + path + "]";
    }
}
