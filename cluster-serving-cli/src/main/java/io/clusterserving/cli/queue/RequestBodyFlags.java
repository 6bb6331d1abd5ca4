package io.clusterserving.cli.queue;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** The predict body to enqueue: exactly one of {@code --data}, {@code --file} or {@code --instances}. */
public final class RequestBodyFlags {
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    @Option(names = "--data", paramLabel = "JSON", required = true,
            description = "The predict body, e.g. '{\"instances\": [1.0, 2.0]}' (TF Serving row/columnar or V2 JSON).")
    String data;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "Read the predict body from FILE.")
    Path file;

    @Option(names = "--instances", paramLabel = "LIST", required = true,
            description = "Numbers as a row body: '1,2,3' gives {\"instances\":[1,2,3]}; ';' separates rows: "
                    + "'1,2;3,4' gives {\"instances\":[[1,2],[3,4]]}.")
    String instances;

    /** The body text; IllegalArgumentException naming the flag when it cannot be built. */
    public String body() {
        if (data != null) {
            return data;
        }
        if (file != null) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --file " + file + ": " + e.getMessage(), e);
            }
        }
        return instancesBody(instances);
    }

    static String instancesBody(String list) {
        String[] rows = list.split(";", -1);
        StringBuilder json = new StringBuilder("{\"instances\":[");
        for (int r = 0; r < rows.length; r++) {
            if (r > 0) {
                json.append(',');
            }
            if (rows.length > 1) {
                json.append('[');
            }
            String[] values = rows[r].split(",", -1);
            for (int i = 0; i < values.length; i++) {
                String v = values[i].trim();
                if (!JSON_NUMBER.matcher(v).matches()) {
                    throw new IllegalArgumentException("--instances: '" + v + "' (row " + r + ", value " + i
                            + ") is not a number; expected numbers separated by ',' and rows by ';'");
                }
                json.append(i > 0 ? "," : "").append(v);
            }
            if (rows.length > 1) {
                json.append(']');
            }
        }
        return json.append("]}").toString();
    }
}
