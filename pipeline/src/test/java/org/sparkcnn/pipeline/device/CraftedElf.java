package org.sparkcnn.pipeline.device;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds small little-endian ELF64 files for {@link CudaFatbinTest}: an ELF header, the data of one named section,
 * a section name table and the section headers (null, the named section, .shstrtab), in the layout a linker writes;
 * and fatbin containers and entries in the layout nvcc writes.
 */
final class CraftedElf {
    private CraftedElf() {}

    /** A fatbin entry: kind (1 PTX, 2 cubin), architecture and payload, with nvcc's 64-byte entry header. */
    static byte[] entry(int kind, int arch, byte[] payload) {
        ByteBuffer b = le(64 + payload.length);
        b.putShort((short) kind).putShort((short) 0x0101).putInt(64).putLong(payload.length);
        b.putInt(payload.length).putInt(0).putShort((short) 7).putShort((short) 1).putInt(arch);
        b.putInt(0).putInt(0).putLong(0x11L).putLong(0).putLong(payload.length);
        return b.put(payload).array();
    }

    /** A fatbin container holding {@code entries}: magic, version 1, header size 16, their total size. */
    static byte[] container(byte[]... entries) {
        byte[] body = concat(entries);
        ByteBuffer b = le(16 + body.length);
        b.putInt(CudaFatbin.FATBIN_MAGIC).putShort((short) 1).putShort((short) 16).putLong(body.length);
        return b.put(body).array();
    }

    /** An ELF64 shared object with one section named {@code name} holding {@code data}. */
    static byte[] elf(String name, byte[] data) {
        byte[] names = ("\0" + name + "\0.shstrtab\0").getBytes(StandardCharsets.ISO_8859_1);
        int dataAt = 64;
        int namesAt = dataAt + data.length;
        int shoff = (namesAt + names.length + 7) & ~7;
        ByteBuffer b = le(shoff + 3 * 64);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 3).putShort((short) 62).putInt(1).putLong(0).putLong(0).putLong(shoff);
        b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 0).putShort((short) 64);
        b.putShort((short) 3).putShort((short) 2);
        b.position(dataAt);
        b.put(data).put(names);
        b.position(shoff + 64);   // section 0: all zero
        sectionHeader(b, 1, 1, dataAt, data.length, 8);
        sectionHeader(b, 1 + name.length() + 1, 3, namesAt, names.length, 1);
        return b.array();
    }

    private static void sectionHeader(ByteBuffer b, int name, int type, long offset, long size, long align) {
        b.putInt(name).putInt(type).putLong(type == 1 ? 2 : 0).putLong(0).putLong(offset).putLong(size);
        b.putInt(0).putInt(0).putLong(align).putLong(0);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
