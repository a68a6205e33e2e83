package callisto.datasets;

import callisto.tensor.Tensor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face's {@code .safetensors}: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the data. Reads F64, F32, F16, BF16 (widened to float32), I64, I32, I16,
 * I8, U8 (widened to int32) and BOOL; writes F64, F32, I64, I32 and BOOL. Every offset is checked against the
 * spec (in range, sized to the shape, no gaps or overlaps) and a bad one is named.
 */
public final class SafeTensors {
    private static final JsonFactory JSON = new JsonFactory();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** The tensors in {@code file}, by name, in the header's order. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        return parse(file, Files.readAllBytes(file)).tensors;
    }

    /** The file's {@code __metadata__} strings (empty when it has none). */
    public static Map<String, String> metadata(Path file) throws IOException {
        return parse(file, Files.readAllBytes(file)).metadata;
    }

    /** Writes {@code tensors} (in the map's order) with no metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /** Writes {@code tensors} and the {@code __metadata__} strings. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        var sw = new StringWriter();
        long offset = 0;
        try (JsonGenerator g = JSON.createGenerator(sw)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart("__metadata__");
                for (var e : metadata.entrySet()) g.writeStringField(e.getKey(), e.getValue());
                g.writeEndObject();
            }
            for (var e : tensors.entrySet()) {
                Tensor t = e.getValue();
                long bytes = (long) t.numel() * t.dtype().itemSize();
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("dtype", switch (t.dtype()) {
                    case FLOAT64 -> "F64";
                    case FLOAT32 -> "F32";
                    case INT64 -> "I64";
                    case INT32 -> "I32";
                    case BOOL -> "BOOL";
                });
                g.writeArrayFieldStart("shape");
                for (int d : t.shape()) g.writeNumber(d);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + bytes);
                g.writeEndArray();
                g.writeEndObject();
                offset += bytes;
            }
            g.writeEndObject();
        }
        byte[] header = sw.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8; // the spec pads the header with spaces to 8-byte alignment
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(header);
        for (int i = header.length; i < padded; i++) out.put((byte) ' ');
        for (Tensor t : tensors.values()) Npy.Format.encode(t, out);
        callisto.runtime.AtomicFile.write(file, tmp -> Files.write(tmp, out.array()));
    }

    private record Parsed(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
    }

    private static Parsed parse(Path file, byte[] bytes) throws BadFileException {
        if (bytes.length < 8) throw new BadFileException(file, "truncated: " + bytes.length + " bytes, shorter than the 8-byte header length");
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 2 || n > MAX_HEADER) throw new BadFileException(file, "bad header length " + n + " (not a .safetensors file?)");
        if (8 + n > bytes.length) {
            throw new BadFileException(file, "truncated: the header says it is " + n + " bytes, the file has " + (bytes.length - 8) + " after the length");
        }
        var entries = new ArrayList<Entry>();
        var metadata = new LinkedHashMap<String, String>();
        try (JsonParser p = JSON.createParser(bytes, 8, (int) n)) {
            expect(file, p.nextToken() == JsonToken.START_OBJECT, "the header is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                expect(file, p.nextToken() == JsonToken.START_OBJECT, "header entry '" + name + "' is not an object");
                if (name.equals("__metadata__")) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        expect(file, p.nextToken() == JsonToken.VALUE_STRING, "__metadata__." + key + " is not a string");
                        metadata.put(key, p.getText());
                    }
                    continue;
                }
                String dtype = null;
                int[] shape = null;
                long[] offsets = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    switch (key) {
                        case "dtype" -> dtype = p.getText();
                        case "shape" -> shape = longs(file, p, name, key).stream().mapToInt(Math::toIntExact).toArray();
                        case "data_offsets" -> offsets = longs(file, p, name, key).stream().mapToLong(Long::longValue).toArray();
                        default -> p.skipChildren();
                    }
                }
                expect(file, dtype != null && shape != null && offsets != null && offsets.length == 2,
                        "tensor '" + name + "' needs dtype, shape and two data_offsets");
                entries.add(new Entry(name, dtype, shape, offsets[0], offsets[1]));
            }
        } catch (IOException | ArithmeticException e) {
            if (e instanceof BadFileException b) throw b;
            throw new BadFileException(file, "bad JSON header: " + e.getMessage());
        }
        long data = bytes.length - 8 - n;
        var byStart = new ArrayList<>(entries);
        byStart.sort(Comparator.comparingLong(Entry::begin));
        long expected = 0;
        for (Entry e : byStart) {
            if (e.begin != expected) {
                throw new BadFileException(file, "tensor '" + e.name + "' starts at byte " + e.begin + " where " + expected
                        + " was expected (the data must be packed without gaps or overlaps)");
            }
            long count = 1;
            for (int d : e.shape) {
                if (d < 0) throw new BadFileException(file, "tensor '" + e.name + "' has a negative size in its shape");
                count *= d;
            }
            long need = count * size(file, e);
            if (e.end - e.begin != need) {
                throw new BadFileException(file, "tensor '" + e.name + "' (" + e.dtype + " " + java.util.Arrays.toString(e.shape)
                        + ") needs " + need + " bytes, its offsets span " + (e.end - e.begin));
            }
            if (e.end > data) {
                throw new BadFileException(file, "truncated: tensor '" + e.name + "' ends at data byte " + e.end + ", the file has " + data);
            }
            expected = e.end;
        }
        if (expected != data) throw new BadFileException(file, (data - expected) + " bytes after the last tensor's data");
        var tensors = new LinkedHashMap<String, Tensor>();
        for (Entry e : entries) {
            ByteBuffer b = ByteBuffer.wrap(bytes, (int) (8 + n + e.begin), (int) (e.end - e.begin)).slice().order(ByteOrder.LITTLE_ENDIAN);
            tensors.put(e.name, decode(e, b));
        }
        return new Parsed(tensors, metadata);
    }

    private static int size(Path file, Entry e) throws BadFileException {
        return switch (e.dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16", "I16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> throw new BadFileException(file, "tensor '" + e.name + "' has unknown or unsupported dtype " + e.dtype
                    + " (supported: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL)");
        };
    }

    private static Tensor decode(Entry e, ByteBuffer b) {
        int count = b.remaining();
        return switch (e.dtype) {
            case "F64" -> {
                double[] v = new double[count / 8];
                b.asDoubleBuffer().get(v);
                yield Tensor.of(v, e.shape);
            }
            case "F32", "F16", "BF16" -> {
                int k = e.dtype.equals("F32") ? 4 : 2;
                float[] v = new float[count / k];
                if (k == 4) b.asFloatBuffer().get(v);
                else if (e.dtype.equals("F16")) for (int i = 0; i < v.length; i++) v[i] = Float.float16ToFloat(b.getShort(2 * i));
                else for (int i = 0; i < v.length; i++) v[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                yield Tensor.of(v, e.shape);
            }
            case "I64" -> {
                long[] v = new long[count / 8];
                b.asLongBuffer().get(v);
                yield Tensor.ofLongs(v, e.shape);
            }
            case "BOOL" -> {
                boolean[] v = new boolean[count];
                for (int i = 0; i < count; i++) v[i] = b.get(i) != 0;
                yield Tensor.of(v, e.shape);
            }
            default -> { // I32, I16, I8, U8 widen to int32
                int k = e.dtype.equals("I32") ? 4 : e.dtype.equals("I16") ? 2 : 1;
                int[] v = new int[count / k];
                for (int i = 0; i < v.length; i++) {
                    v[i] = k == 4 ? b.getInt(4 * i) : k == 2 ? b.getShort(2 * i) : e.dtype.equals("U8") ? b.get(i) & 0xff : b.get(i);
                }
                yield Tensor.ofInts(v, e.shape);
            }
        };
    }

    private static List<Long> longs(Path file, JsonParser p, String name, String key) throws IOException {
        expect(file, p.currentToken() == JsonToken.START_ARRAY, "tensor '" + name + "': " + key + " is not an array");
        var out = new ArrayList<Long>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(file, p.currentToken() == JsonToken.VALUE_NUMBER_INT, "tensor '" + name + "': " + key + " holds a non-integer");
            out.add(p.getLongValue());
        }
        return out;
    }

    private static void expect(Path file, boolean ok, String problem) throws BadFileException {
        if (!ok) throw new BadFileException(file, problem);
    }
}
