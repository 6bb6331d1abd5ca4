package io.clusterserving.flink.sink;

import io.clusterserving.flink.inference.ResultBatch;
import io.clusterserving.queue.envelope.QueueResult;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.PrintStream;

/** Prints every result as a JSON line on the task manager's standard output (the embedded demo). */
public final class PrintResultSink implements Sink<ResultBatch> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<ResultBatch> createWriter(WriterInitContext context) {
        PrintStream out = System.out;
        return new SinkWriter<>() {
            @Override
            public void write(ResultBatch batch, Context ctx) {
                for (QueueResult r : batch.results()) {
                    out.println(ResultJson.line(r));
                }
            }

            @Override
            public void flush(boolean endOfInput) {
                out.flush();
            }

            @Override
            public void close() {
                out.flush();
            }
        };
    }
}
