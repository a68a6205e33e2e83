package callisto.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import callisto.tensor.DType;
import callisto.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy, .npz and .safetensors against files NumPy wrote (fixtures/make_fixtures.py), round trips, and bad files. */
class DataFilesTest {
    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(DataFilesTest.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsWhatNumPyWrote() throws IOException {
        Tensor f4 = Npy.read(fixture("f4_c.npy"));
        assertEquals(DType.FLOAT32, f4.dtype());
        assertArrayEquals(new int[] {2, 3}, f4.shape());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, f4.toFloatArray());
        Tensor fortran = Npy.read(fixture("f8_fortran.npy"));
        assertArrayEquals(new int[] {3, 4}, fortran.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, fortran.toArray(), "Fortran order comes back row-major");
        assertArrayEquals(new long[] {1, -2, 1L << 40}, Npy.read(fixture("i8.npy")).toLongArray());
        assertArrayEquals(new int[] {1, -2, 70000}, Npy.read(fixture("i4_big_endian.npy")).toIntArray());
        assertArrayEquals(new double[] {0.1, -1e300}, Npy.read(fixture("f8_big_endian.npy")).toArray());
        assertArrayEquals(new boolean[] {true, false, false, true}, Npy.read(fixture("bool.npy")).toBooleanArray());
        Tensor u1 = Npy.read(fixture("u1.npy"));
        assertEquals(DType.INT32, u1.dtype());
        assertArrayEquals(new int[] {0, 7, 255}, u1.toIntArray());
        assertArrayEquals(new float[] {0.5f, -2, 65504}, Npy.read(fixture("f2.npy")).toFloatArray());
        Tensor scalar = Npy.read(fixture("scalar.npy"));
        assertEquals(0, scalar.dim());
        assertEquals(3.5, scalar.item());
        assertArrayEquals(new int[] {0, 3}, Npy.read(fixture("empty.npy")).shape());

        Map<String, Tensor> npz = Npz.read(fixture("arrays.npz"));
        assertEquals(List.of("a", "b"), List.copyOf(npz.keySet()));
        assertArrayEquals(new int[] {0, 1, 2, 3}, npz.get("a").toIntArray());
        assertArrayEquals(new double[] {1, 0, 0, 1}, npz.get("b").toArray());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Npz.read(fixture("compressed.npz")).get("x").toArray());

        Map<String, Tensor> st = SafeTensors.read(fixture("small.safetensors"));
        assertEquals(List.of("w", "idx", "half"), List.copyOf(st.keySet()));
        assertArrayEquals(new float[] {1, 2, 3, 4}, st.get("w").toFloatArray());
        assertArrayEquals(new long[] {5, -6, 7}, st.get("idx").toLongArray());
        assertArrayEquals(new float[] {1.5f, -3}, st.get("half").toFloatArray(), "bf16 widens exactly");
        assertEquals(Map.of("format", "pt"), SafeTensors.metadata(fixture("small.safetensors")));
    }

    static Map<String, Tensor> everyDtype() {
        var m = new LinkedHashMap<String, Tensor>();
        m.put("f64", Tensor.of(new double[] {1.5, -2, Double.MIN_VALUE, Double.NaN, 1e308, 0}, 2, 3));
        m.put("f32", Tensor.of(new float[] {0.1f, Float.MAX_VALUE}, 2, 1));
        m.put("i64", Tensor.ofLongs(Long.MIN_VALUE, 0, Long.MAX_VALUE));
        m.put("i32", Tensor.ofInts(new int[] {Integer.MIN_VALUE, 3, 4, 5}, 2, 2));
        m.put("bool", Tensor.of(true, false, true));
        m.put("scalar", Tensor.scalar(7));
        m.put("empty", Tensor.zeros(DType.FLOAT32, 0, 4));
        m.put("view", Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose()); // strided: written row-major
        return m;
    }

    static void assertSame(Tensor want, Tensor got, String name) {
        assertEquals(want.dtype(), got.dtype(), name);
        assertArrayEquals(want.shape(), got.shape(), name);
        assertArrayEquals(want.toArray(), got.toArray(), name);
        if (want.dtype() == DType.INT64) assertArrayEquals(want.toLongArray(), got.toLongArray(), name);
    }

    @Test
    void roundTripsEveryDtypeThroughAllThreeFormats() throws IOException {
        Map<String, Tensor> all = everyDtype();
        for (var e : all.entrySet()) {
            Path p = dir.resolve(e.getKey() + ".npy");
            Npy.write(p, e.getValue());
            assertSame(e.getValue(), Npy.read(p), e.getKey());
        }
        Npz.write(dir.resolve("all.npz"), all);
        Map<String, Tensor> npz = Npz.read(dir.resolve("all.npz"));
        all.forEach((k, v) -> assertSame(v, npz.get(k), "npz " + k));
        SafeTensors.write(dir.resolve("all.safetensors"), all, Map.of("note", "round \"trip\" ü"));
        Map<String, Tensor> st = SafeTensors.read(dir.resolve("all.safetensors"));
        assertEquals(List.copyOf(all.keySet()), List.copyOf(st.keySet()));
        all.forEach((k, v) -> assertSame(v, st.get(k), "safetensors " + k));
        assertEquals(Map.of("note", "round \"trip\" ü"), SafeTensors.metadata(dir.resolve("all.safetensors")));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file is left behind");
        }
    }

    @Test
    void numPyReadsWhatWeWrite() throws Exception {
        assumeTrue(python("import numpy") == 0, "needs /usr/bin/python3 with numpy (Debian's python3-numpy)");
        Npy.write(dir.resolve("a.npy"), Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Npy.write(dir.resolve("b.npy"), Tensor.ofLongs(-1, 1L << 50));
        Npz.write(dir.resolve("c.npz"), Map.of("m", Tensor.of(true, false)));
        String check = """
                import numpy as np, sys
                d = sys.argv[1]
                a = np.load(d + '/a.npy'); assert a.dtype == np.float32 and a.shape == (2, 3) and a[1, 2] == 6, a
                b = np.load(d + '/b.npy'); assert b.dtype == np.int64 and b[1] == 2 ** 50, b
                c = np.load(d + '/c.npz')['m']; assert c.dtype == np.bool_ and list(c) == [True, False], c
                """;
        assertEquals(0, python(check, dir.toString()));
    }

    private static int python(String code, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) return -1;
        var cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", "-c", code));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        if (p.exitValue() != 0) System.err.println(out);
        return p.exitValue();
    }

    private Path withBytes(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void malformedNpyFilesNameTheFileAndTheProblem() throws IOException {
        byte[] good = Files.readAllBytes(fixture("f4_c.npy"));
        Path truncated = withBytes("truncated.npy", Arrays.copyOf(good, good.length - 4));
        var e = assertThrows(BadFileException.class, () -> Npy.read(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": ") && e.getMessage().contains("needs 24 bytes of data, the file has 20"), e.getMessage());
        assertEquals(truncated, e.file());

        Path magic = withBytes("magic.npy", "just text, not numpy".getBytes(StandardCharsets.UTF_8));
        assertTrue(assertThrows(BadFileException.class, () -> Npy.read(magic)).getMessage().contains("not a .npy file"));

        var complex = assertThrows(BadFileException.class, () -> Npy.read(fixture("complex.npy")));
        assertTrue(complex.getMessage().contains("unsupported dtype '<c16'"), complex.getMessage());

        String header = new String(good, 10, good.length - 10 - 24, StandardCharsets.ISO_8859_1);
        byte[] reshaped = good.clone();
        byte[] wrong = header.replace("(2, 3)", "(3, 3)").getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(wrong, 0, reshaped, 10, wrong.length);
        Path shape = withBytes("shape.npy", reshaped);
        var s = assertThrows(BadFileException.class, () -> Npy.read(shape));
        assertTrue(s.getMessage().contains("shape (3, 3) of <f4 needs 36 bytes of data, the file has 24"), s.getMessage());

        byte[] noHeader = good.clone();
        ByteBuffer.wrap(noHeader).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 5000);
        Path cut = withBytes("header.npy", noHeader);
        assertTrue(assertThrows(BadFileException.class, () -> Npy.read(cut)).getMessage().contains("truncated: the header says it is 5000 bytes"));

        Path notZip = withBytes("bad.npz", "PK but not really".getBytes(StandardCharsets.UTF_8));
        assertTrue(assertThrows(BadFileException.class, () -> Npz.read(notZip)).getMessage().contains("not a readable .npz"));
    }

    @Test
    void malformedSafetensorsNameTheTensorAndTheProblem() throws IOException {
        byte[] good = Files.readAllBytes(fixture("small.safetensors"));
        Path truncated = withBytes("t.safetensors", Arrays.copyOf(good, good.length - 3));
        var t = assertThrows(BadFileException.class, () -> SafeTensors.read(truncated));
        assertTrue(t.getMessage().contains("truncated: tensor 'half'"), t.getMessage());

        Path tooLong = withBytes("l.safetensors", Arrays.copyOf(good, good.length + 5));
        assertTrue(assertThrows(BadFileException.class, () -> SafeTensors.read(tooLong)).getMessage().contains("5 bytes after the last tensor"));

        String header = new String(good, 8, (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(0), StandardCharsets.UTF_8);
        Path shape = withBytes("s.safetensors", rewrite(good, header, header.replace("\"shape\":[2,2]", "\"shape\":[2,3]")));
        var s = assertThrows(BadFileException.class, () -> SafeTensors.read(shape));
        assertTrue(s.getMessage().contains("tensor 'w' (F32 [2, 3]) needs 24 bytes, its offsets span 16"), s.getMessage());

        Path dtype = withBytes("d.safetensors", rewrite(good, header, header.replace("\"I64\"", "\"C64\"")));
        assertTrue(assertThrows(BadFileException.class, () -> SafeTensors.read(dtype)).getMessage().contains("tensor 'idx' has unknown or unsupported dtype C64"));

        Path json = withBytes("j.safetensors", rewrite(good, header, header.replace("{\"__metadata__\"", "[\"__metadata__\"")));
        assertTrue(assertThrows(BadFileException.class, () -> SafeTensors.read(json)).getMessage().contains("not a JSON object"));

        byte[] hugeLength = good.clone();
        ByteBuffer.wrap(hugeLength).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Path huge = withBytes("h.safetensors", hugeLength);
        assertTrue(assertThrows(BadFileException.class, () -> SafeTensors.read(huge)).getMessage().contains("bad header length"));
    }

    /** The file with its header text replaced (padded to the same length, so offsets stay). */
    private static byte[] rewrite(byte[] file, String header, String replacement) {
        byte[] h = replacement.getBytes(StandardCharsets.UTF_8);
        assertTrue(h.length <= header.length(), "replacement must not grow the header");
        byte[] out = file.clone();
        Arrays.fill(out, 8, 8 + header.length(), (byte) ' ');
        System.arraycopy(h, 0, out, 8, h.length);
        return out;
    }

    @Test
    void aFailedWriteLeavesTheOldFileIntact() throws IOException {
        Path p = dir.resolve("keep.npy");
        Npy.write(p, Tensor.of(1, 2));
        byte[] before = Files.readAllBytes(p);
        assertThrows(IOException.class, () -> Npy.write(dir.resolve("missing/dir/x.npy"), Tensor.of(1)));
        var broken = new LinkedHashMap<String, Tensor>();
        broken.put("fine", Tensor.of(3, 4));
        broken.put("missing", null); // fails half-way through writing the zip
        Path npz = dir.resolve("keep.npz");
        Npz.write(npz, Map.of("old", Tensor.of(1)));
        byte[] oldZip = Files.readAllBytes(npz);
        assertThrows(NullPointerException.class, () -> Npz.write(npz, broken));
        assertArrayEquals(before, Files.readAllBytes(p));
        assertArrayEquals(oldZip, Files.readAllBytes(npz));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "the temporary file is removed");
        }
    }
}
