package org.sparkcnn.pipeline.device;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads which GPU architectures a CUDA shared library carries code for, from the fatbins in its {@code .nv_fatbin}
 * ELF section, without loading it. Layout (little-endian): each fatbin container is a 16-byte header (magic
 * {@code 0xBA55ED50}, u16 version, u16 header size, u64 size of the entries that follow) and its entries; each entry
 * header holds u16 kind (1 = PTX, 2 = ELF cubin) at 0, u16 version at 2, u32 header size at 4, u64 payload size at
 * 8, the u32 architecture ({@code 86} for {@code sm_86}) at 28 and u64 flags (0x2000: compressed) at 40, and the
 * payload follows the header. Containers follow one another, padded to 8 bytes.
 *
 * <p>Everything is read positionally and only as far as the file's own lengths say, each length checked against
 * the file and the enclosing structure first: a truncated or corrupt file fails with an {@link IOException} naming
 * the file, the offset and the field, never with a read past the structure it belongs to. Payloads are skipped,
 * never read, so a 900 MB library costs a few thousand small reads.
 */
public final class CudaFatbin {
    static final int FATBIN_MAGIC = 0xBA55ED50;
    static final int KIND_PTX = 1;
    static final int KIND_CUBIN = 2;
    static final String SECTION = ".nv_fatbin";

    private static final int ELF_HEADER = 64;
    private static final int SECTION_HEADER = 64;
    private static final int CONTAINER_HEADER = 16;
    /** An entry header must reach the architecture field (offset 28, 4 bytes). */
    private static final int ENTRY_HEADER_MIN = 32;
    private static final int MAX_SECTIONS = 1 << 16;
    private static final long MAX_NAMES = 16L << 20;
    private static final int SHT_NOBITS = 8;

    private final FileChannel channel;
    private final String file;
    private final long fileSize;

    private CudaFatbin(FileChannel channel, String file) throws IOException {
        this.channel = channel;
        this.file = file;
        this.fileSize = channel.size();
    }

    /**
     * The cubin and PTX architectures of {@code library}'s fatbins; empty sets when it has no {@code .nv_fatbin}
     * section (no device code).
     *
     * @throws IOException naming the file, offset and field when it is not a little-endian ELF64 file or a length in
     *                     it points outside the file or its enclosing structure
     */
    public static CudaArchitectures read(Path library) throws IOException {
        try (FileChannel ch = FileChannel.open(library, StandardOpenOption.READ)) {
            return new CudaFatbin(ch, library.toString()).architectures();
        }
    }

    /**
     * Prints which GPUs a CUDA library can run on, for a user checking a {@code libnd4jcuda.so} (or any CUDA
     * library): {@code java -cp <jobs jar> org.sparkcnn.pipeline.device.CudaFatbin LIBRARY...}. Exit 2 when a file
     * is not a readable ELF64 library.
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: CudaFatbin LIBRARY... (e.g. libnd4jcuda.so, unpacked from the nd4j-cuda jar)");
            System.exit(2);
        }
        for (String arg : args) {
            try {
                System.out.println(arg + ": " + describe(read(Path.of(arg))));
            } catch (IOException e) {
                System.err.println(e.getMessage());
                System.exit(2);
            }
        }
    }

    /** One line: the fatbins, the architectures and the compute capabilities the code runs on. */
    static String describe(CudaArchitectures code) {
        return code.fatbins() + " fatbin(s); " + code.describe() + "; runs on compute capability "
                + code.runnableRange();
    }

    private CudaArchitectures architectures() throws IOException {
        long[] section = fatbinSection();
        SortedSet<Integer> cubin = new TreeSet<>();
        SortedSet<Integer> ptx = new TreeSet<>();
        if (section == null) {
            return new CudaArchitectures(cubin, ptx, 0, file + " (no " + SECTION + " section)");
        }
        long pos = section[0];
        long end = section[0] + section[1];
        int containers = 0;
        while (pos < end) {
            if (end - pos < 4 || readBytes(pos, 4).getInt() != FATBIN_MAGIC) {
                long padded = Math.min(end, (pos + 8) & ~7L);   // the next 8-byte boundary after pos
                if (allZero(pos, padded - pos)) {
                    pos = padded;
                    continue;
                }
                throw corrupt(pos, "expected a fatbin header (magic 0xBA55ED50) or zero padding");
            }
            pos = container(pos, end, cubin, ptx);
            containers++;
        }
        return new CudaArchitectures(cubin, ptx, containers, file);
    }

    /** Reads the container at {@code start}, adds its entries' architectures; returns the offset after it. */
    private long container(long start, long sectionEnd, SortedSet<Integer> cubin, SortedSet<Integer> ptx)
            throws IOException {
        if (sectionEnd - start < CONTAINER_HEADER) {
            throw corrupt(start, "fatbin header truncated: " + (sectionEnd - start) + " of 16 bytes left in " + SECTION);
        }
        ByteBuffer h = readBytes(start, CONTAINER_HEADER);
        int headerSize = Short.toUnsignedInt(h.getShort(6));
        long fatSize = h.getLong(8);
        if (headerSize < CONTAINER_HEADER || headerSize > sectionEnd - start) {
            throw corrupt(start, "fatbin header size " + headerSize + " is below 16 or past the end of " + SECTION);
        }
        long entries = start + headerSize;
        if (fatSize < 0 || fatSize > sectionEnd - entries) {
            throw corrupt(start, "fatbin size " + Long.toUnsignedString(fatSize) + " runs past the end of " + SECTION
                    + " (" + (sectionEnd - entries) + " bytes left)");
        }
        long end = entries + fatSize;
        long pos = entries;
        while (pos < end) {
            if (end - pos < ENTRY_HEADER_MIN) {
                throw corrupt(pos, "fatbin entry header truncated: " + (end - pos) + " bytes left in its fatbin");
            }
            ByteBuffer e = readBytes(pos, ENTRY_HEADER_MIN);
            int kind = Short.toUnsignedInt(e.getShort(0));
            long entryHeader = Integer.toUnsignedLong(e.getInt(4));
            long payload = e.getLong(8);
            int arch = e.getInt(28);
            if (entryHeader < ENTRY_HEADER_MIN || entryHeader > end - pos) {
                throw corrupt(pos, "fatbin entry header size " + entryHeader + " is below 32 or past the end of its fatbin");
            }
            if (payload < 0 || payload > end - pos - entryHeader) {
                throw corrupt(pos, "fatbin entry payload size " + Long.toUnsignedString(payload)
                        + " runs past the end of its fatbin (" + (end - pos - entryHeader) + " bytes left)");
            }
            if (arch < 10 || arch > 999) {
                throw corrupt(pos + 28, "fatbin entry architecture " + Integer.toUnsignedString(arch)
                        + " is not an sm_XY number");
            }
            if (kind == KIND_CUBIN) {
                cubin.add(arch);
            } else if (kind == KIND_PTX) {
                ptx.add(arch);
            }   // other kinds (none in CUDA 11) carry no code the driver can run: ignored
            pos += entryHeader + payload;
        }
        return end;
    }

    /** {offset, size} of the {@code .nv_fatbin} section, checked to lie inside the file; null when absent. */
    private long[] fatbinSection() throws IOException {
        if (fileSize < ELF_HEADER) {
            throw corrupt(0, "shorter (" + fileSize + " bytes) than an ELF64 header (64 bytes)");
        }
        ByteBuffer h = readBytes(0, ELF_HEADER);
        if (h.getInt(0) != 0x464C457F) {   // \x7fELF read little-endian
            throw corrupt(0, "not an ELF file (no \\x7fELF magic)");
        }
        if (h.get(4) != 2 || h.get(5) != 1) {
            throw corrupt(4, String.format(Locale.ROOT, "not a little-endian ELF64 file (class %d, data %d)",
                    h.get(4), h.get(5)));
        }
        long shoff = h.getLong(0x28);
        int shentsize = Short.toUnsignedInt(h.getShort(0x3A));
        long shnum = Short.toUnsignedInt(h.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(h.getShort(0x3E));
        if (shoff == 0) {
            return null;   // no section headers (stripped of them): nothing to find
        }
        if (shentsize < SECTION_HEADER) {
            throw corrupt(0x3A, "section header size " + shentsize + " is below 64");
        }
        if (shoff < 0 || shoff > fileSize - SECTION_HEADER) {
            throw corrupt(0x28, "section headers at " + Long.toUnsignedString(shoff) + " lie outside the file ("
                    + fileSize + " bytes)");
        }
        if (shnum == 0 || shstrndx == 0xFFFF) {   // extended numbering: the real values sit in section 0
            ByteBuffer zero = readBytes(shoff, SECTION_HEADER);
            shnum = shnum == 0 ? zero.getLong(0x20) : shnum;
            shstrndx = shstrndx == 0xFFFF ? zero.getInt(0x28) : shstrndx;
        }
        if (shnum < 0 || shnum > MAX_SECTIONS || shnum > (fileSize - shoff) / shentsize) {
            throw corrupt(0x3C, Long.toUnsignedString(shnum) + " section headers of " + shentsize
                    + " bytes at offset " + shoff + " do not fit in the file (" + fileSize + " bytes)");
        }
        if (shstrndx < 0 || shstrndx >= shnum) {
            throw corrupt(0x3E, "section name table index " + Integer.toUnsignedString(shstrndx)
                    + " is not below the section count " + shnum);
        }
        long[] names = sectionData(shoff + (long) shstrndx * shentsize, "section name table");
        if (names[1] > MAX_NAMES) {
            throw corrupt(names[0], "section name table of " + names[1] + " bytes is larger than 16 MiB");
        }
        ByteBuffer nameTable = readBytes(names[0], (int) names[1]);
        for (long i = 0; i < shnum; i++) {
            long at = shoff + i * shentsize;
            int nameOffset = readBytes(at, 4).getInt(0);
            if (SECTION.equals(name(nameTable, nameOffset))) {
                return sectionData(at, SECTION + " section");
            }
        }
        return null;
    }

    /** {offset, size} of the section whose header is at {@code header}, checked to lie inside the file. */
    private long[] sectionData(long header, String what) throws IOException {
        ByteBuffer s = readBytes(header, SECTION_HEADER);
        int type = s.getInt(4);
        long offset = s.getLong(0x18);
        long size = s.getLong(0x20);
        if (type == SHT_NOBITS) {
            throw corrupt(header, "the " + what + " has no data in the file (SHT_NOBITS)");
        }
        if (offset < 0 || size < 0 || offset > fileSize || size > fileSize - offset) {
            throw corrupt(header, String.format(Locale.ROOT, "the %s (offset %s, %s bytes) runs past the end of the "
                    + "file (%d bytes)", what, Long.toUnsignedString(offset), Long.toUnsignedString(size), fileSize));
        }
        return new long[] {offset, size};
    }

    /** The NUL-terminated name at {@code offset} in the name table, or null when it does not lie inside it. */
    private static String name(ByteBuffer table, int offset) {
        if (offset < 0 || offset >= table.limit()) {
            return null;
        }
        int end = offset;
        while (end < table.limit() && table.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        table.get(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private boolean allZero(long pos, long length) throws IOException {
        ByteBuffer b = readBytes(pos, (int) length);
        while (b.hasRemaining()) {
            if (b.get() != 0) {
                return false;
            }
        }
        return true;
    }

    /** Exactly {@code length} bytes at {@code pos}, little-endian; callers check the range against the file first. */
    private ByteBuffer readBytes(long pos, int length) throws IOException {
        if (pos < 0 || length < 0 || pos > fileSize - length) {
            throw corrupt(pos, length + " bytes at this offset lie outside the file (" + fileSize + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, pos + b.position()) < 0) {
                throw new EOFException(file + ": ended at " + (pos + b.position()) + " while reading " + length
                        + " bytes at offset " + pos + " (changed while being read?)");
            }
        }
        return b.flip();
    }

    private IOException corrupt(long offset, String what) {
        return new IOException(file + ": at byte offset " + offset + ": " + what
                + "; not a CUDA library this reader understands (truncated or corrupt download?)");
    }
}
