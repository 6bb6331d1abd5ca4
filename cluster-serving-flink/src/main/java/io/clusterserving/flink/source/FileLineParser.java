package io.clusterserving.flink.source;

import io.clusterserving.queue.envelope.JsonEnvelopeCodec;
import io.clusterserving.queue.envelope.QueueRequest;
import org.apache.flink.api.common.functions.MapFunction;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Turns one line of an input file into a request.
 * <ul>
 *   <li>CSV (the seed's SQL example): {@code uri,data} where {@code data} is numbers separated by
 *       whitespace or commas (optionally quoted) — one instance, sent as {@code {"instances": [[...]]}}
 *       (a single number is a scalar instance: {@code {"instances": [v]}});
 *       a header line {@code uri,data} is skipped by the job.</li>
 *   <li>JSON lines: the Kafka request envelope {@code {"uri", "model"?, "version"?, "data": <request>}}.</li>
 * </ul>
 * A malformed line becomes a rejected request whose error names the problem; the job writes it as an
 * error result.
 */
public final class FileLineParser implements MapFunction<String, QueueRequest> {
    private static final long serialVersionUID = 1L;
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

    private final boolean csv;

    public FileLineParser(boolean csv) {
        this.csv = csv;
    }

    /** CSV when the path ends with {@code .csv}, else JSON lines. */
    public static FileLineParser forPath(String path) {
        return new FileLineParser(path.toLowerCase(java.util.Locale.ROOT).endsWith(".csv"));
    }

    public static boolean isCsvHeader(String line) {
        return line.replace("\"", "").replace(" ", "").equalsIgnoreCase("uri,data");
    }

    @Override
    public QueueRequest map(String line) {
        return csv ? parseCsv(line) : parseJson(line);
    }

    static QueueRequest parseJson(String line) {
        String position = "line '" + abbreviate(line) + "'";
        return QueueRequest.received(null, JsonEnvelopeCodec.decodeRequest(line.getBytes(StandardCharsets.UTF_8), null,
                position));
    }

    static QueueRequest parseCsv(String line) {
        int comma = line.indexOf(',');
        if (comma <= 0) {
            String uri = comma == 0 ? "line '" + abbreviate(line) + "'" : line.trim();
            return rejected(uri, "CSV line '" + abbreviate(line) + "': expected uri,data");
        }
        String uri = unquote(line.substring(0, comma).trim());
        String data = unquote(line.substring(comma + 1).trim());
        String[] tokens = data.isEmpty() ? new String[0] : SEPARATORS.split(data.trim());
        if (tokens.length == 0) {
            return rejected(uri, "CSV line for uri '" + uri + "': field 'data' is empty; expected numbers");
        }
        boolean scalar = tokens.length == 1;
        StringBuilder json = new StringBuilder(data.length() + 32).append(scalar ? "{\"instances\":[" : "{\"instances\":[[");
        for (int i = 0; i < tokens.length; i++) {
            try {
                double v = Double.parseDouble(tokens[i]);
                if (!Double.isFinite(v)) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                return rejected(uri, "CSV line for uri '" + uri + "': value " + i + " of field 'data' is '"
                        + abbreviate(tokens[i]) + "', not a finite number");
            }
            json.append(i == 0 ? "" : ",").append(tokens[i]);
        }
        return QueueRequest.of(uri, json.append(scalar ? "]}" : "]]}").toString());
    }

    private static QueueRequest rejected(String uri, String error) {
        return QueueRequest.rejected(uri, error);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
