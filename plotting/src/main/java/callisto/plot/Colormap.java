package callisto.plot;

import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A colour scale of 256 colours from low to high: {@link #viridis()} (the default), {@link #magma()}, {@link #gray()}
 * and the diverging {@link #rdbu()} (red low, blue high; {@code reversed()} for blue low). {@link #at(double)} maps
 * t in [0, 1] to a colour; NaN maps to the {@link #bad()} colour, transparent unless {@link #withBad set}. The tables
 * are matplotlib's, rounded to 8 bits (resource {@code colormaps.txt}, made by {@code make_colormaps.py}).
 */
public final class Colormap {
    private static final int N = 256;
    private static final Map<String, int[]> TABLES = load();
    private static final Color TRANSPARENT = new Color(0, 0, 0, 0);

    private final String name;
    private final int[] rgb; // N entries, 0xRRGGBB, shared between a map and its reversal's reversal
    private final Color bad;

    private Colormap(String name, int[] rgb, Color bad) {
        this.name = name;
        this.rgb = rgb;
        this.bad = bad;
    }

    /** Perceptually uniform blue-green-yellow; matplotlib's default. */
    public static Colormap viridis() {
        return of("viridis");
    }

    /** Perceptually uniform black-purple-orange-cream. */
    public static Colormap magma() {
        return of("magma");
    }

    /** Black to white, linear. */
    public static Colormap gray() {
        return of("gray");
    }

    /** Diverging red (low) to near-white (middle) to blue (high), for signed fields with {@code symmetric()}. */
    public static Colormap rdbu() {
        return of("RdBu");
    }

    /** The names {@link #of} knows (each also with a {@code _r} suffix for the reversed map). */
    public static List<String> names() {
        return List.copyOf(TABLES.keySet());
    }

    /**
     * A map by name, ignoring case: {@code "viridis"}, {@code "magma"}, {@code "gray"} (or {@code "grey"}),
     * {@code "RdBu"}; a {@code "_r"} suffix reverses it, as in matplotlib.
     */
    public static Colormap of(String name) {
        if (name == null) throw new IllegalArgumentException("Colormap.of: name is null; known: " + names());
        String key = name.toLowerCase(Locale.ROOT);
        boolean reversed = key.endsWith("_r");
        if (reversed) key = key.substring(0, key.length() - 2);
        if (key.equals("grey")) key = "gray";
        for (var e : TABLES.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(key)) {
                var map = new Colormap(e.getKey(), e.getValue(), TRANSPARENT);
                return reversed ? map.reversed() : map;
            }
        }
        throw new IllegalArgumentException("Colormap.of: unknown colormap '" + name + "'; known: " + names() + " (add _r to reverse)");
    }

    /** The name, with {@code _r} when reversed. */
    public String name() {
        return name;
    }

    /** Number of colours in the table. */
    public int size() {
        return N;
    }

    /** The same colours high to low. */
    public Colormap reversed() {
        int[] r = new int[N];
        for (int i = 0; i < N; i++) r[i] = rgb[N - 1 - i];
        String n = name.endsWith("_r") ? name.substring(0, name.length() - 2) : name + "_r";
        return new Colormap(n, r, bad);
    }

    /** This map with NaN shown in {@code bad} (for instance grey where transparent would read as white). */
    public Colormap withBad(Color bad) {
        if (bad == null) throw new IllegalArgumentException("Colormap.withBad: bad is null");
        return new Colormap(name, rgb, bad);
    }

    /** The colour for NaN. */
    public Color bad() {
        return bad;
    }

    /** The colour at t in [0, 1] (clamped; NaN gives {@link #bad()}). */
    public Color at(double t) {
        return new Color(argb(t), true);
    }

    /** As {@link #at} but packed 0xAARRGGBB, for filling images. */
    int argb(double t) {
        if (Double.isNaN(t)) return bad.getRGB();
        // matplotlib's rule: floor(t * N), so each colour covers an equal share of [0, 1].
        int i = t <= 0 ? 0 : t >= 1 ? N - 1 : Math.min(N - 1, (int) (t * N));
        return 0xff000000 | rgb[i];
    }

    @Override
    public String toString() {
        return "Colormap(" + name + ")";
    }

    private static Map<String, int[]> load() {
        var tables = new LinkedHashMap<String, int[]>();
        var in = Colormap.class.getResourceAsStream("colormaps.txt");
        if (in == null) throw new IllegalStateException("Colormap: resource callisto/plot/colormaps.txt is missing from the jar");
        try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String name = null;
            int[] table = null;
            int n = 0;
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                if (line.startsWith("[")) {
                    check(name, n);
                    name = line.substring(1, line.length() - 1);
                    table = new int[N];
                    tables.put(name, table);
                    n = 0;
                } else {
                    table[n++] = Integer.parseInt(line, 16);
                }
            }
            check(name, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tables;
    }

    private static void check(String name, int n) {
        if (name != null && n != N) throw new IllegalStateException("Colormap: table " + name + " in colormaps.txt has " + n + " colours, not " + N);
    }
}
