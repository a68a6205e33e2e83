package callisto.fields;

import callisto.runtime.Cancellation;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

/**
 * Seeded synthetic data for registration experiments: smooth random velocity fields, whose scaling-and-squaring
 * integral ({@link Registration#integrate}) is a smooth random diffeomorphism, and textured phantom images. A pair
 * is {@code fixed = phantom(g, 1, h, w)}, {@code moving = Registration.warp(fixed, Registration.integrate(v, 7))},
 * with the known displacement as ground truth. The same seed gives the same data; results are float64, on the
 * aligned-corner grid of {@link Grids} (rows y, columns x).
 */
public final class Synthetic {
    private Synthetic() {
    }

    /**
     * {@code batch} smooth random velocity fields [batch, h, w, 2] (normalized units, as a displacement): per
     * component, a sum of the separable Fourier modes {cos, sin}(πk_x x/2)·{cos, sin}(πk_y y/2), 0 ≤ k_x, k_y ≤
     * {@code modes} (not both 0), with N(0, 1) coefficients damped by 1/(k_x² + k_y²); the field is then scaled so its
     * largest vector is {@code maxPixels} pixels long. {@code modes} = 1 gives one gentle bend across the image,
     * 3–4 several bumps. Integrated with 7 steps, fields up to about a tenth of the image size stay fold-free.
     */
    public static Tensor velocity(Generator generator, int batch, int h, int w, int modes, double maxPixels) {
        if (generator == null) throw new IllegalArgumentException("Synthetic.velocity: generator is null");
        if (batch < 1 || h < 2 || w < 2) {
            throw new IllegalArgumentException("Synthetic.velocity: batch " + batch + " must be >= 1 and h " + h + ", w " + w + " >= 2");
        }
        if (modes < 1) throw new IllegalArgumentException("Synthetic.velocity: modes " + modes + " must be >= 1");
        if (!(maxPixels >= 0) || Double.isInfinite(maxPixels)) {
            throw new IllegalArgumentException("Synthetic.velocity: maxPixels " + maxPixels + " must be finite and >= 0");
        }
        int k1 = modes + 1;
        double[] coef = generator.randn(batch, 2, k1, k1, 2, 2).toArray();
        double[][][] fx = table(w, k1), fy = table(h, k1);
        double[] out = new double[batch * h * w * 2];
        for (int b = 0; b < batch; b++) {
            Cancellation.check();
            double[] px = new double[h * w * 2];
            double longest = 0;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int c = 0; c < 2; c++) {
                        double v = 0;
                        for (int kx = 0; kx < k1; kx++) {
                            for (int ky = 0; ky < k1; ky++) {
                                if (kx == 0 && ky == 0) continue;
                                double damp = 1.0 / (kx * kx + ky * ky);
                                int base = ((((b * 2 + c) * k1 + kx) * k1 + ky) * 2) * 2;
                                for (int p = 0; p < 2; p++) {
                                    for (int q = 0; q < 2; q++) v += damp * coef[base + p * 2 + q] * fx[p][kx][j] * fy[q][ky][i];
                                }
                            }
                        }
                        px[(i * w + j) * 2 + c] = v;
                    }
                    int at = (i * w + j) * 2;
                    longest = Math.max(longest, Math.hypot(px[at], px[at + 1]));
                }
            }
            double scale = longest == 0 ? 0 : maxPixels / longest;
            for (int p = 0; p < h * w; p++) { // pixels to normalized units: x across w, y across h
                out[(b * h * w + p) * 2] = px[p * 2] * scale * 2 / (w - 1);
                out[(b * h * w + p) * 2 + 1] = px[p * 2 + 1] * scale * 2 / (h - 1);
            }
        }
        return Tensor.of(out, batch, h, w, 2);
    }

    /** [phase (cos, sin)][k][sample]: the 1-D mode values f(πk·x/2) on n aligned-corner samples. */
    private static double[][][] table(int n, int k1) {
        double[][][] t = new double[2][k1][n];
        for (int k = 0; k < k1; k++) {
            for (int i = 0; i < n; i++) {
                double a = Math.PI * k * Grids.axis(i, n) / 2;
                t[0][k][i] = Math.cos(a);
                t[1][k][i] = Math.sin(a);
            }
        }
        return t;
    }

    /**
     * {@code batch} phantom images [batch, 1, h, w] in [0, 1]: a rotated elliptical "head" of intensity about 0.3 on
     * a black background, 4 to 7 smaller rotated ellipses painted over it (intensities 0.15 to 0.85), and a faint
     * sinusoidal texture (three plane waves, amplitude 0.04 each) so that no region inside the head is flat (local
     * NCC needs variance in every window). Edges are smoothed over about a pixel, so bilinear warps of it stay
     * well-sampled.
     */
    public static Tensor phantom(Generator generator, int batch, int h, int w) {
        if (generator == null) throw new IllegalArgumentException("Synthetic.phantom: generator is null");
        if (batch < 1 || h < 2 || w < 2) {
            throw new IllegalArgumentException("Synthetic.phantom: batch " + batch + " must be >= 1 and h " + h + ", w " + w + " >= 2");
        }
        double edge = 2.0 / (Math.min(h, w) - 1); // one pixel in normalized units
        double[] out = new double[batch * h * w];
        for (int b = 0; b < batch; b++) {
            Cancellation.check();
            double[] head = draw(generator, 0, 0, 0.65, 0.85, 0.1);
            double headLevel = 0.3 + 0.1 * generator.rand(1).item();
            int blobs = 4 + (int) generator.randint(0, 4, 1).item();
            double[][] inner = new double[blobs][];
            double[] level = new double[blobs];
            for (int e = 0; e < blobs; e++) {
                double[] u = generator.rand(2).toArray();
                double r = 0.5 * u[0], t = 2 * Math.PI * u[1]; // centre inside the head
                double cx = head[0] + r * head[2] * Math.cos(t), cy = head[1] + r * head[3] * Math.sin(t);
                inner[e] = draw(generator, cx, cy, 0.08, 0.3, 0);
                level[e] = 0.15 + 0.7 * generator.rand(1).item();
            }
            double[] waves = generator.rand(3, 3).toArray(); // frequency, direction, phase of each texture wave
            for (int i = 0; i < h; i++) {
                double y = Grids.axis(i, h);
                for (int j = 0; j < w; j++) {
                    double x = Grids.axis(j, w);
                    double inHead = inside(head, x, y, edge);
                    double v = headLevel;
                    for (int e = 0; e < blobs; e++) { // painted in order: levels stay in [0.15, 0.85], nothing clips flat
                        double m = inside(inner[e], x, y, edge);
                        v = v * (1 - m) + level[e] * m;
                    }
                    double texture = 0;
                    for (int k = 0; k < 3; k++) {
                        double f = 4 + 6 * waves[3 * k], dir = Math.PI * waves[3 * k + 1], phase = 2 * Math.PI * waves[3 * k + 2];
                        texture += Math.sin(Math.PI * f * (x * Math.cos(dir) + y * Math.sin(dir)) + phase);
                    }
                    v = (v + 0.04 * texture) * inHead;
                    out[(b * h + i) * w + j] = Math.min(1, Math.max(0, v));
                }
            }
        }
        return Tensor.of(out, batch, 1, h, w);
    }

    /** An ellipse {cx, cy, a, b, cos θ, sin θ}: centre jittered by ±jitter, semi-axes in [lo, hi], any rotation. */
    private static double[] draw(Generator g, double cx, double cy, double lo, double hi, double jitter) {
        double[] u = g.rand(5).toArray();
        double theta = Math.PI * u[4];
        return new double[] {cx + jitter * (2 * u[0] - 1), cy + jitter * (2 * u[1] - 1), lo + (hi - lo) * u[2], lo + (hi - lo) * u[3],
                Math.cos(theta), Math.sin(theta)};
    }

    /** A smooth indicator of the ellipse: 1 inside, 0 outside, a tanh ramp about {@code edge} wide across its rim. */
    private static double inside(double[] e, double x, double y, double edge) {
        double dx = x - e[0], dy = y - e[1];
        double u = (dx * e[4] + dy * e[5]) / e[2], v = (-dx * e[5] + dy * e[4]) / e[3];
        double rim = (Math.sqrt(u * u + v * v) - 1) * Math.min(e[2], e[3]); // roughly the distance to the rim
        return 0.5 * (1 - Math.tanh(rim / edge));
    }
}
