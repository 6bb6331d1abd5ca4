package io.clusterserving.core.config;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MonitoringConfigTest {

    @Test
    void parsesTheDocumentedExample(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("monitoring.config");
        Files.writeString(file, """
                prometheus_config {
                  enable: true,
                  path: "/monitoring/prometheus/metrics"
                }
                """);
        assertThat(MonitoringConfig.read(file)).isEqualTo(new MonitoringConfig(true, "/monitoring/prometheus/metrics"));
    }

    @Test
    void customPathAndDefaultsAsTfServing() {
        assertThat(MonitoringConfig.parse("prometheus_config { enable: true path: \"/metrics\" }", "m"))
                .isEqualTo(new MonitoringConfig(true, "/metrics"));
        assertThat(MonitoringConfig.parse("prometheus_config { enable: true }", "m").prometheusPath())
                .isEqualTo(MonitoringConfig.DEFAULT_PROMETHEUS_PATH);
        assertThat(MonitoringConfig.parse("prometheus_config { path: \"/x\" }", "m").prometheusEnabled()).isFalse();
        assertThat(MonitoringConfig.parse("", "m").prometheusEnabled()).isFalse();
        assertThat(MonitoringConfig.defaults()).isEqualTo(new MonitoringConfig(true, "/monitoring/prometheus/metrics"));
    }

    @Test
    void rejectsUnknownFieldsAndRelativePaths() {
        assertThatThrownBy(() -> MonitoringConfig.parse("prometheus_config { enabled: true }", "m.config"))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessage("m.config:1:21: unknown field 'enabled' in PrometheusConfig; known fields: [enable, path]");
        assertThatThrownBy(() -> MonitoringConfig.parse("prometheus_config { enable: true path: \"metrics\" }", "m.config"))
                .hasMessage("m.config:1:34: field 'path': expected an HTTP path starting with '/', got \"metrics\"");
    }
}
