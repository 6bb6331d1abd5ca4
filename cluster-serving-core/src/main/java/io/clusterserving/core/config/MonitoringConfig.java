package io.clusterserving.core.config;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.clusterserving.core.config.tfserving.PrometheusConfig;

import java.nio.file.Path;

/**
 * TF Serving's {@code --monitoring_config_file} (MonitoringConfig in protobuf text format):
 * <pre>
 * prometheus_config {
 *   enable: true
 *   path: "/monitoring/prometheus/metrics"   # optional; this is the default
 * }
 * </pre>
 * As in TF Serving, a file without {@code prometheus_config}, or without {@code enable: true}, turns
 * Prometheus off; with no file at all the server uses {@link #defaults()} (on).
 *
 * @param prometheusEnabled whether the Prometheus endpoint is served
 * @param prometheusPath    its HTTP path, starting with '/'
 */
public record MonitoringConfig(boolean prometheusEnabled, String prometheusPath) {
    public static final String DEFAULT_PROMETHEUS_PATH = "/monitoring/prometheus/metrics";

    public static MonitoringConfig defaults() {
        return new MonitoringConfig(true, DEFAULT_PROMETHEUS_PATH);
    }

    public static MonitoringConfig read(Path file) {
        return parse(ConfigFiles.readText(file, "monitoring config file"), file.toString());
    }

    /** Parses the text with protobuf's TextFormat over our {@code monitoring_config.proto}. */
    public static MonitoringConfig parse(String text, String sourceName) {
        var root = io.clusterserving.core.config.tfserving.MonitoringConfig.newBuilder();
        TextProtoNode node = TextProtoNode.parse(text, sourceName, root);
        if (!root.hasPrometheusConfig()) {
            return new MonitoringConfig(false, DEFAULT_PROMETHEUS_PATH);
        }
        PrometheusConfig prometheus = root.getPrometheusConfig();
        String path = prometheus.getPath();
        if (path.isEmpty()) {
            path = DEFAULT_PROMETHEUS_PATH;
        } else if (!path.startsWith("/")) {
            FieldDescriptor pathField = PrometheusConfig.getDescriptor()
                    .findFieldByNumber(PrometheusConfig.PATH_FIELD_NUMBER);
            FieldDescriptor prometheusField = root.getDescriptorForType().findFieldByNumber(
                    io.clusterserving.core.config.tfserving.MonitoringConfig.PROMETHEUS_CONFIG_FIELD_NUMBER);
            throw node.child(prometheusField, 0).error(pathField, 0,
                    "field 'path': expected an HTTP path starting with '/', got \"" + path + "\"");
        }
        return new MonitoringConfig(prometheus.getEnable(), path);
    }
}
