package io.clusterserving.torch.build;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the subset of Python's pickle protocol 2 that libtorch's unpickler reads
 * (torch/csrc/jit/serialization/unpickler.cpp): enough to describe a TorchScript module object, its
 * attributes and its tensors. Each method appends one opcode; the caller arranges them into a valid
 * program, exactly as a hand-written pickle would.
 */
public final class PickleWriter {
    private static final int PROTO = 0x80;
    private static final int STOP = '.';
    private static final int MARK = '(';
    private static final int GLOBAL = 'c';
    private static final int EMPTY_TUPLE = ')';
    private static final int TUPLE = 't';
    private static final int EMPTY_DICT = '}';
    private static final int SETITEMS = 'u';
    private static final int NEWOBJ = 0x81;
    private static final int BUILD = 'b';
    private static final int REDUCE = 'R';
    private static final int BINPERSID = 'Q';
    private static final int BININT = 'J';
    private static final int LONG1 = 0x8a;
    private static final int BINFLOAT = 'G';
    private static final int BINUNICODE = 'X';
    private static final int NEWTRUE = 0x88;
    private static final int NEWFALSE = 0x89;
    private static final int NONE = 'N';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Starts a protocol-2 pickle, the only protocol libtorch accepts. */
    public PickleWriter protocol2() {
        out.write(PROTO);
        out.write(2);
        return this;
    }

    /** Pushes {@code module.name}; both are written newline-terminated, as GLOBAL requires. */
    public PickleWriter global(String module, String name) {
        out.write(GLOBAL);
        writeAscii(module + "\n" + name + "\n");
        return this;
    }

    public PickleWriter mark() {
        out.write(MARK);
        return this;
    }

    public PickleWriter tuple() {
        out.write(TUPLE);
        return this;
    }

    public PickleWriter emptyTuple() {
        out.write(EMPTY_TUPLE);
        return this;
    }

    public PickleWriter emptyDict() {
        out.write(EMPTY_DICT);
        return this;
    }

    public PickleWriter setItems() {
        out.write(SETITEMS);
        return this;
    }

    public PickleWriter newObject() {
        out.write(NEWOBJ);
        return this;
    }

    public PickleWriter build() {
        out.write(BUILD);
        return this;
    }

    public PickleWriter reduce() {
        out.write(REDUCE);
        return this;
    }

    public PickleWriter persistentId() {
        out.write(BINPERSID);
        return this;
    }

    /** BININT for values that fit 32 bits, else LONG1 with 8 bytes (the only LONG1 width libtorch reads). */
    public PickleWriter integer(long value) {
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            out.write(BININT);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
        } else {
            out.write(LONG1);
            out.write(8);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }
        return this;
    }

    /** BINFLOAT is the one big-endian value in a pickle. */
    public PickleWriter floatValue(double value) {
        out.write(BINFLOAT);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(value).array());
        return this;
    }

    public PickleWriter bool(boolean value) {
        out.write(value ? NEWTRUE : NEWFALSE);
        return this;
    }

    public PickleWriter none() {
        out.write(NONE);
        return this;
    }

    public PickleWriter string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
        out.writeBytes(utf8);
        return this;
    }

    /** Ends the program and returns it. */
    public byte[] stop() {
        out.write(STOP);
        return out.toByteArray();
    }

    private void writeAscii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
