package callisto.datasets;

import callisto.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** NumPy's {@code .npz}: a zip of {@code .npy} arrays by name, from {@code numpy.savez} or {@code savez_compressed}. */
public final class Npz {
    private Npz() {
    }

    /** The arrays in {@code file}, by name (without ".npy"), in the file's order. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        var out = new LinkedHashMap<String, Tensor>();
        try (var zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.isDirectory()) continue;
                String name = entry.getName().endsWith(".npy") ? entry.getName().substring(0, entry.getName().length() - 4) : entry.getName();
                byte[] bytes;
                try (var in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                out.put(name, Npy.read(Path.of(file + "!" + entry.getName()), bytes));
            }
        } catch (ZipException e) {
            throw new BadFileException(file, "not a readable .npz (zip) file: " + e.getMessage());
        }
        return out;
    }

    /** Writes the arrays uncompressed, as {@code numpy.savez}; names become "name.npy" entries. */
    public static void write(Path file, Map<String, Tensor> arrays) throws IOException {
        callisto.runtime.AtomicFile.write(file, tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp); var zip = new ZipOutputStream(os)) {
                for (var e : arrays.entrySet()) {
                    byte[] bytes = Npy.encode(e.getValue());
                    var entry = new ZipEntry(e.getKey() + ".npy");
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(bytes.length);
                    var crc = new java.util.zip.CRC32();
                    crc.update(bytes);
                    entry.setCrc(crc.getValue());
                    zip.putNextEntry(entry);
                    zip.write(bytes);
                    zip.closeEntry();
                }
            }
        });
    }
}
