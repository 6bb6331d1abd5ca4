package io.clusterserving.torch.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a small TorchScript archive — what {@code torch.jit.save} produces — without Python: a zip
 * whose entries all sit in one folder named after the file, holding
 * <ul>
 *   <li>{@code version}: the file format version ("3"; libtorch 2.7 reads 1..10),</li>
 *   <li>{@code byteorder}: "little",</li>
 *   <li>{@code code/__torch__.py}: the TorchScript source of the module class {@code __torch__.<Class>},</li>
 *   <li>{@code data.pkl}: the module object, a protocol-2 pickle of {@code __torch__.<Class>} whose
 *       state dict holds every attribute the class declares, parameters as persistent-id'd storages,</li>
 *   <li>{@code data/<n>}: the raw little-endian bytes of storage n,</li>
 *   <li>{@code constants.pkl}: the constants table, here an empty tuple.</li>
 * </ul>
 * Parameters are FP32. The module has one method, given as TorchScript source.
 */
public final class TorchScriptArchiveWriter {
    /** The file format version written; libtorch's reader accepts 1 through 10. */
    public static final String FORMAT_VERSION = "3";

    private record Parameter(String name, long[] shape, float[] values) {
    }

    private final String className;
    private final List<Parameter> parameters = new ArrayList<>();
    private String forward;

    private TorchScriptArchiveWriter(String className) {
        this.className = className;
    }

    /** A module class {@code __torch__.<className>}. */
    public static TorchScriptArchiveWriter module(String className) {
        return new TorchScriptArchiveWriter(className);
    }

    /** An FP32 parameter, contiguous (row-major). */
    public TorchScriptArchiveWriter parameter(String name, long[] shape, float... values) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(name + ": shape holds " + count + " values, got " + values.length);
        }
        parameters.add(new Parameter(name, shape.clone(), values.clone()));
        return this;
    }

    /**
     * The {@code forward} method as TorchScript source, starting at {@code def forward(self, ...)};
     * {@code self} is typed by the writer. Indent the body by two spaces.
     */
    public TorchScriptArchiveWriter forward(String method) {
        this.forward = method;
        return this;
    }

    /** The class source as it goes into {@code code/__torch__.py}. */
    public String source() {
        StringBuilder s = new StringBuilder();
        s.append("class ").append(className).append("(Module):\n");
        s.append("  __parameters__ = [");
        for (Parameter p : parameters) {
            s.append('"').append(p.name()).append("\", ");
        }
        s.append("]\n");
        s.append("  __buffers__ = []\n");
        for (Parameter p : parameters) {
            s.append("  ").append(p.name()).append(" : Tensor\n");
        }
        s.append("  training : bool\n");
        String method = forward.replaceFirst("def forward\\(self\\b", "def forward(self: __torch__." + className);
        for (String line : method.split("\n")) {
            s.append("  ").append(line).append('\n');
        }
        return s.toString();
    }

    /** The module object pickle ({@code data.pkl}). */
    public byte[] dataPickle() {
        PickleWriter p = new PickleWriter().protocol2();
        p.global("__torch__", className).emptyTuple().newObject();
        p.emptyDict().mark();
        for (int i = 0; i < parameters.size(); i++) {
            p.string(parameters.get(i).name());
            tensor(p, i, parameters.get(i).shape());
        }
        p.string("training").bool(false);
        p.setItems().build();
        return p.stop();
    }

    /** Writes the archive to {@code file}; the zip's folder is the file name without its extension. */
    public Path write(Path file) throws IOException {
        String name = file.getFileName().toString();
        String folder = (name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name) + "/";
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            put(zip, folder + "data.pkl", dataPickle());
            put(zip, folder + "code/__torch__.py", source().getBytes(StandardCharsets.UTF_8));
            put(zip, folder + "constants.pkl", new PickleWriter().protocol2().emptyTuple().stop());
            for (int i = 0; i < parameters.size(); i++) {
                put(zip, folder + "data/" + i, littleEndian(parameters.get(i).values()));
            }
            put(zip, folder + "version", (FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            put(zip, folder + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    /**
     * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)} where
     * storage is the persistent id {@code ("storage", torch.FloatStorage, "<key>", "cpu", numel)}.
     */
    private static void tensor(PickleWriter p, int key, long[] shape) {
        long numel = 1;
        for (long d : shape) {
            numel *= d;
        }
        p.global("torch._utils", "_rebuild_tensor_v2").mark();
        p.mark().string("storage").global("torch", "FloatStorage").string(Integer.toString(key)).string("cpu")
                .integer(numel).tuple().persistentId();
        p.integer(0);
        p.mark();
        for (long d : shape) {
            p.integer(d);
        }
        p.tuple();
        p.mark();
        long stride = 1;
        long[] strides = new long[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        for (long s : strides) {
            p.integer(s);
        }
        p.tuple();
        p.bool(false);
        p.global("collections", "OrderedDict").emptyTuple().reduce();
        p.tuple().reduce();
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** Stored, not deflated: libtorch can read either, and stored entries are what torch writes. */
    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }
}
