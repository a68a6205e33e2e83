package callisto.datasets;

import callisto.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format, read and written. Reads float16/32/64, int8/16/32/64, uint8/16, bool in either
 * byte order and in C or Fortran order (uint and narrow types widen losslessly to int32 or float32); writes
 * float32/64, int32/64 and bool in C order, as {@code numpy.save} does. Files are replaced atomically.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The array in {@code file}. */
    public static Tensor read(Path file) throws IOException {
        return read(file, Files.readAllBytes(file));
    }

    static Tensor read(Path file, byte[] bytes) throws BadFileException {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new BadFileException(file, "not a .npy file (no \\x93NUMPY magic at the start)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int start;
        if (major == 1) {
            headerLength = in.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new BadFileException(file, "truncated in the header length");
            headerLength = in.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new BadFileException(file, "unknown .npy format version " + major + "." + (bytes[7] & 0xff));
        }
        if (start + headerLength > bytes.length) {
            throw new BadFileException(file, "truncated: the header says it is " + headerLength + " bytes, the file has "
                    + (bytes.length - start) + " after the preamble");
        }
        String header = new String(bytes, start, (int) headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(file, DESCR, header, "descr");
        boolean fortran = group(file, FORTRAN, header, "fortran_order").equals("True");
        int[] shape = parseShape(file, group(file, SHAPE, header, "shape"));
        Format f = Format.of(file, descr);
        long n = 1;
        for (int d : shape) n *= d;
        int dataStart = start + (int) headerLength;
        long need = n * f.size;
        if (bytes.length - dataStart != need) {
            throw new BadFileException(file, "shape " + shapeText(shape) + " of " + descr + " needs " + need
                    + " bytes of data, the file has " + (bytes.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) need).slice().order(f.order);
        int[] layout = fortran ? reversed(shape) : shape;
        Tensor t = f.decode(data, (int) n, layout);
        if (fortran && shape.length > 1) { // column-major values: read reversed, then turn the dims back
            int[] perm = new int[shape.length];
            for (int i = 0; i < perm.length; i++) perm[i] = perm.length - 1 - i;
            t = t.permute(perm).contiguous();
        }
        return t;
    }

    /** Writes {@code tensor} to {@code file} in C order (version 1.0, or 2.0 for very long headers). */
    public static void write(Path file, Tensor tensor) throws IOException {
        byte[] bytes = encode(tensor);
        callisto.runtime.AtomicFile.write(file, tmp -> Files.write(tmp, bytes));
    }

    static byte[] encode(Tensor tensor) {
        String descr = switch (tensor.dtype()) {
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case BOOL -> "|b1";
        };
        int[] shape = tensor.shape();
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
        boolean v2 = dict.length() + 12 > 65535;
        int preamble = v2 ? 12 : 10;
        int padded = ((preamble + dict.length() + 1 + 63) / 64) * 64; // numpy aligns the data to 64 bytes
        String header = dict + " ".repeat(padded - preamble - dict.length() - 1) + "\n";
        int n = tensor.numel();
        ByteBuffer out = ByteBuffer.allocate(padded + n * tensor.dtype().itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) out.putInt(header.length());
        else out.putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        Format.encode(tensor, out);
        return out.array();
    }

    private static String group(Path file, Pattern p, String header, String key) throws BadFileException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            if (key.equals("descr") && header.contains("'descr': [")) {
                throw new BadFileException(file, "structured (record) dtypes are not supported");
            }
            throw new BadFileException(file, "bad header: no '" + key + "' in " + header.strip());
        }
        return m.group(1);
    }

    private static int[] parseShape(Path file, String text) throws BadFileException {
        String[] parts = text.split(",");
        int count = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) {
            String s = p.strip().replace("L", "");
            if (s.isEmpty()) continue;
            try {
                shape[count] = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new BadFileException(file, "bad header: shape (" + text + ") is not a tuple of sizes");
            }
            if (shape[count] < 0) throw new BadFileException(file, "bad header: negative size in shape (" + text + ")");
            count++;
        }
        return Arrays.copyOf(shape, count);
    }

    static String shapeText(int[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        var sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        return sb.append(')').toString();
    }

    private static int[] reversed(int[] shape) {
        int[] r = new int[shape.length];
        for (int i = 0; i < shape.length; i++) r[i] = shape[shape.length - 1 - i];
        return r;
    }

    /** One element type as stored: its byte size and order, and how it becomes a tensor. */
    record Format(char kind, int size, ByteOrder order) {
        static Format of(Path file, String descr) throws BadFileException {
            if (descr.length() < 3) throw new BadFileException(file, "unknown dtype '" + descr + "'");
            char bo = descr.charAt(0);
            ByteOrder order = bo == '>' ? ByteOrder.BIG_ENDIAN : bo == '<' || bo == '|' || bo == '=' ? ByteOrder.LITTLE_ENDIAN : null;
            int size;
            try {
                size = Integer.parseInt(descr.substring(2));
            } catch (NumberFormatException e) {
                size = -1;
            }
            char kind = descr.charAt(1);
            String known = switch (kind) {
                case 'f' -> size == 2 || size == 4 || size == 8 ? "" : null;
                case 'i' -> size == 1 || size == 2 || size == 4 || size == 8 ? "" : null;
                case 'u' -> size == 1 || size == 2 ? "" : null;
                case 'b' -> size == 1 ? "" : null;
                default -> null;
            };
            if (order == null || known == null) {
                throw new BadFileException(file, "unknown or unsupported dtype '" + descr
                        + "' (supported: float16/32/64, int8/16/32/64, uint8/16, bool)");
            }
            return new Format(kind, size, order);
        }

        Tensor decode(ByteBuffer b, int n, int[] shape) {
            switch (kind) {
                case 'f' -> {
                    if (size == 8) {
                        double[] v = new double[n];
                        b.asDoubleBuffer().get(v);
                        return Tensor.of(v, shape);
                    }
                    float[] v = new float[n];
                    if (size == 4) b.asFloatBuffer().get(v);
                    else for (int i = 0; i < n; i++) v[i] = Float.float16ToFloat(b.getShort(2 * i));
                    return Tensor.of(v, shape);
                }
                case 'b' -> {
                    boolean[] v = new boolean[n];
                    for (int i = 0; i < n; i++) v[i] = b.get(i) != 0;
                    return Tensor.of(v, shape);
                }
                default -> {
                    if (size == 8) {
                        long[] v = new long[n];
                        b.asLongBuffer().get(v);
                        return Tensor.ofLongs(v, shape);
                    }
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = switch (size) {
                            case 4 -> b.getInt(4 * i);
                            case 2 -> kind == 'u' ? b.getShort(2 * i) & 0xffff : b.getShort(2 * i);
                            default -> kind == 'u' ? b.get(i) & 0xff : b.get(i);
                        };
                    }
                    return Tensor.ofInts(v, shape);
                }
            }
        }

        /** Appends the tensor's values, row-major, little-endian. */
        static void encode(Tensor t, ByteBuffer out) {
            switch (t.dtype()) {
                case FLOAT64 -> { for (double v : t.toArray()) out.putDouble(v); }
                case FLOAT32 -> { for (float v : t.toFloatArray()) out.putFloat(v); }
                case INT64 -> { for (long v : t.toLongArray()) out.putLong(v); }
                case INT32 -> { for (int v : t.toIntArray()) out.putInt(v); }
                case BOOL -> { for (boolean v : t.toBooleanArray()) out.put((byte) (v ? 1 : 0)); }
            }
        }
    }
}
