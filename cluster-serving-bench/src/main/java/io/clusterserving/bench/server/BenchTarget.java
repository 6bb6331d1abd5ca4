package io.clusterserving.bench.server;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;

import java.net.URI;

/**
 * Where bench sends its requests: host, port, TLS and the full request path.
 *
 * @param path the URL's own path prefix (if any) followed by the inference path
 */
record BenchTarget(String host, int port, boolean ssl, String path) {

    static BenchTarget of(String url, String inferPath) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ServingException(StatusCode.INVALID_ARGUMENT, "--url " + url + " is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (scheme == null || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new ServingException(StatusCode.INVALID_ARGUMENT, "--url must look like http://host:port, got " + url);
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String prefix = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return new BenchTarget(uri.getHost(), port, ssl, prefix + inferPath);
    }
}
