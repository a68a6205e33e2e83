package callisto.fields;

import callisto.runtime.Cancellation;
import callisto.tensor.DType;
import callisto.tensor.GradMode;
import callisto.tensor.GridSample;
import callisto.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Deformable image registration on tensors: warping, composing and integrating displacement fields, their Jacobian
 * determinant and folds, end-point error, similarity (global and local NCC) and smoothness terms. Everything is
 * built from differentiable tensor ops (the warp from {@link GridSample}), so each function can sit in a loss and be
 * differentiated again; results keep the input's dtype. For MSE and PSNR use {@link callisto.nn.Scores}.
 *
 * <p>Conventions. Images are [b, c, h, w] (or [b, c, d, h, w]); a displacement u is [b, h, w, 2] (or
 * [b, d, h, w, 3]) in the normalized coordinates of {@link Grids} (aligned corners: −1 and 1 are the centres of the
 * border pixels), components (x, y[, z]) as gridSample's grid. It defines the map φ(p) = p + u(p), and
 * {@link #warp} samples the moving image at φ (backward warping: {@code warped(p) = moving(p + u(p))}). In pixel
 * units component x is {@code u_x·(w − 1)/2}, y is {@code u_y·(h − 1)/2}; {@link #jacobianDeterminant},
 * {@link #endPointError}, {@link #smoothness} and {@link #bendingEnergy} work in pixel units, so their values do
 * not change when a field is given at another resolution of the same pixels.
 */
public final class Registration {
    private Registration() {
    }

    /** {@link #warp(Tensor, Tensor, GridSample.Padding)} with border padding (outside reads the nearest border pixel). */
    public static Tensor warp(Tensor image, Tensor displacement) {
        return warp(image, displacement, GridSample.Padding.BORDER);
    }

    /**
     * The image sampled bilinearly at p + u(p) for every point p of the displacement's grid: [b, c, h', w'] for a
     * displacement [b, h', w', 2] (its grid may differ from the image's). Differentiable in both.
     */
    public static Tensor warp(Tensor image, Tensor displacement, GridSample.Padding padding) {
        int s = checkField("warp", "displacement", displacement);
        if (image == null || image.dim() != s + 2 || image.size(0) != displacement.size(0)) {
            throw new IllegalArgumentException("Registration.warp: image " + (image == null ? "null" : "of shape "
                    + Arrays.toString(image.shape())) + " must be [" + displacement.size(0) + ", c" + (s == 3 ? ", d" : "")
                    + ", h, w] for a displacement of shape " + Arrays.toString(displacement.shape()));
        }
        if (image.dtype() != displacement.dtype()) {
            throw new IllegalArgumentException("Registration.warp: image is " + image.dtype() + " and displacement "
                    + displacement.dtype() + "; expected the same float dtype");
        }
        if (padding == null) throw new IllegalArgumentException("Registration.warp: padding is null");
        Tensor grid = identity(spatial(displacement), displacement.dtype()).add(displacement);
        return GridSample.gridSample(image, grid, GridSample.Mode.BILINEAR, padding, true);
    }

    /**
     * The displacement of φ_a ∘ φ_b (first b, then a): {@code b(p) + a(p + b(p))}, a resampled bilinearly with border
     * padding. Shapes [bt, h, w, 2] (or 3-D); a may be on another grid than b; the result is on b's.
     */
    public static Tensor compose(Tensor a, Tensor b) {
        int s = checkField("compose", "a", a);
        int sb = checkField("compose", "b", b);
        if (s != sb || a.size(0) != b.size(0)) {
            throw new IllegalArgumentException("Registration.compose: a of shape " + Arrays.toString(a.shape()) + " and b of shape "
                    + Arrays.toString(b.shape()) + " must have the same batch and spatial rank");
        }
        return b.add(fromImage(warp(toImage(a), b)));
    }

    /**
     * Scaling and squaring: the displacement of φ = exp(v) for a stationary velocity field v (shape of a
     * displacement): φ starts as v/2^steps and is composed with itself {@code steps} times (φ ← φ ∘ φ, resampling the
     * displacement on itself). A small enough step keeps every composition invertible, so the result is a
     * diffeomorphism up to interpolation; {@code steps} = 7 is the common choice (VoxelMorph, NIR). Zero steps
     * return v.
     */
    public static Tensor integrate(Tensor velocity, int steps) {
        checkField("integrate", "velocity", velocity);
        if (steps < 0 || steps > 30) throw new IllegalArgumentException("Registration.integrate: steps " + steps + " must be in [0, 30]");
        Tensor phi = velocity.mul(Math.scalb(1.0, -steps));
        for (int i = 0; i < steps; i++) {
            Cancellation.check();
            phi = compose(phi, phi);
        }
        return phi;
    }

    /**
     * det ∇φ of φ(p) = p + u(p) at every pixel, [b, h, w] (or [b, d, h, w]): central differences inside, one-sided at
     * the borders (as numpy.gradient), in pixel units (the determinant is the same in any units applied alike to p and
     * φ). 1 means volume kept, below 1 shrinking, ≤ 0 a fold. Differentiable, so {@code det.sub(1).abs().mean()} or a
     * penalty on negative values regularizes. Every spatial size must be at least 2.
     */
    public static Tensor jacobianDeterminant(Tensor displacement) {
        int s = checkField("jacobianDeterminant", "displacement", displacement);
        atLeast("jacobianDeterminant", displacement, 2);
        Tensor pix = toPixels(displacement);
        Tensor[][] j = new Tensor[s][s]; // j[k][l] = dφ_k / dp_l, coordinate k along spatial dim s-1-k
        for (int l = 0; l < s; l++) {
            Tensor d = gradient(pix, s - l);
            for (int k = 0; k < s; k++) j[k][l] = k == l ? d.select(-1, k).add(1) : d.select(-1, k);
        }
        if (s == 2) return j[0][0].mul(j[1][1]).sub(j[0][1].mul(j[1][0]));
        return j[0][0].mul(j[1][1].mul(j[2][2]).sub(j[1][2].mul(j[2][1])))
                .sub(j[0][1].mul(j[1][0].mul(j[2][2]).sub(j[1][2].mul(j[2][0]))))
                .add(j[0][2].mul(j[1][0].mul(j[2][1]).sub(j[1][1].mul(j[2][0]))));
    }

    /** The fraction of pixels (over the batch) where {@link #jacobianDeterminant} is ≤ 0: folds of the map. */
    public static double foldFraction(Tensor displacement) {
        double[] det;
        try (var off = GradMode.noGrad()) {
            det = jacobianDeterminant(displacement).toArray();
        }
        long folded = 0;
        for (double v : det) if (v <= 0) folded++;
        return (double) folded / det.length;
    }

    /**
     * The mean over pixels (and batch) of |a − b| in pixels, a scalar: the end-point error of two displacements (a
     * metric: its gradient is not finite where a = b).
     */
    public static Tensor endPointError(Tensor a, Tensor b) {
        checkField("endPointError", "a", a);
        checkField("endPointError", "b", b);
        if (!Arrays.equals(a.shape(), b.shape()) || a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("Registration.endPointError: a of shape " + Arrays.toString(a.shape()) + " (" + a.dtype()
                    + ") and b of shape " + Arrays.toString(b.shape()) + " (" + b.dtype() + ") must have equal shapes and dtypes");
        }
        Tensor d = toPixels(a.sub(b));
        return d.mul(d).sum(-1, false).sqrt().mean();
    }

    /**
     * The end-point error over a region: {@code Σ mask·|a − b| / Σ mask} in pixels, a scalar, for displacements
     * [b, h, w, 2] (or 3-D) and a mask [b, h, w] (or [b, d, h, w]) of non-negative weights, e.g. 1 where the image has
     * structure and 0 on a flat background, where no image term constrains the displacement. An all-zero mask gives NaN.
     */
    public static Tensor endPointError(Tensor a, Tensor b, Tensor mask) {
        checkField("endPointError", "a", a);
        checkField("endPointError", "b", b);
        if (!Arrays.equals(a.shape(), b.shape()) || a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("Registration.endPointError: a of shape " + Arrays.toString(a.shape()) + " (" + a.dtype()
                    + ") and b of shape " + Arrays.toString(b.shape()) + " (" + b.dtype() + ") must have equal shapes and dtypes");
        }
        int[] expected = Arrays.copyOf(a.shape(), a.dim() - 1);
        if (mask == null || !Arrays.equals(mask.shape(), expected) || mask.dtype() != a.dtype()) {
            throw new IllegalArgumentException("Registration.endPointError: mask " + (mask == null ? "null" : "of shape "
                    + Arrays.toString(mask.shape()) + " (" + mask.dtype() + ")") + " must be " + Arrays.toString(expected) + " in "
                    + a.dtype() + " for displacements of shape " + Arrays.toString(a.shape()));
        }
        Tensor d = toPixels(a.sub(b));
        return d.mul(d).sum(-1, false).sqrt().mul(mask).sum().div(mask.sum());
    }

    /**
     * Global normalized cross-correlation, per sample over all its channels and pixels, averaged over the batch:
     * {@code Σ(a − ā)(b − b̄) / √(Σ(a − ā)² Σ(b − b̄)² + 1e-10)}, in [−1, 1]; 1 for b = αa + β with α &gt; 0. Inputs
     * [b, ...] of equal shapes. A similarity: minimize its negative.
     */
    public static Tensor ncc(Tensor a, Tensor b) {
        checkPair("ncc", a, b, 2);
        Tensor x = a.flatten(1, -1), y = b.flatten(1, -1);
        Tensor x0 = x.sub(x.mean(1, true)), y0 = y.sub(y.mean(1, true));
        Tensor num = x0.mul(y0).sum(1, false);
        Tensor den = x0.mul(x0).sum(1, false).mul(y0.mul(y0).sum(1, false)).add(1e-10).sqrt();
        return num.div(den).mean();
    }

    /** {@link #localNcc(Tensor, Tensor, int, double)} with eps = 1e-5 (VoxelMorph's). */
    public static Tensor localNcc(Tensor a, Tensor b, int window) {
        return localNcc(a, b, window, 1e-5);
    }

    /**
     * Local (windowed) NCC as in VoxelMorph's registration loss: in every {@code window}^n box that fits inside the
     * image ('valid' positions, no padding), per channel, the squared correlation
     * {@code cov² / (var_a · var_b + eps)} of the box's sums, averaged over positions, channels and batch. In [0, 1];
     * 1 where b is an affine intensity map of a (either sign). Images [b, c, spatial...] with 1 to 3 spatial dims.
     */
    public static Tensor localNcc(Tensor a, Tensor b, int window, double eps) {
        checkPair("localNcc", a, b, 3);
        int s = a.dim() - 2;
        if (s > 3) throw new IllegalArgumentException("Registration.localNcc: images of shape " + Arrays.toString(a.shape()) + " have more than 3 spatial dims");
        if (window < 1) throw new IllegalArgumentException("Registration.localNcc: window " + window + " must be >= 1");
        for (int d = 2; d < a.dim(); d++) {
            if (a.size(d) < window) {
                throw new IllegalArgumentException("Registration.localNcc: window " + window + " does not fit images of shape "
                        + Arrays.toString(a.shape()));
            }
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("Registration.localNcc: eps " + eps + " must be finite and >= 0");
        int c = a.size(1);
        Tensor sums = Tensor.cat(List.of(a, b, a.mul(a), b.mul(b), a.mul(b)), 1);
        for (int d = 2; d < a.dim(); d++) sums = boxSum(sums, d, window);
        double n = Math.pow(window, s);
        Tensor sa = sums.narrow(1, 0, c), sb = sums.narrow(1, c, c);
        Tensor cross = sums.narrow(1, 4 * c, c).sub(sa.mul(sb).div(n));
        Tensor va = sums.narrow(1, 2 * c, c).sub(sa.mul(sa).div(n));
        Tensor vb = sums.narrow(1, 3 * c, c).sub(sb.mul(sb).div(n));
        return cross.mul(cross).div(va.mul(vb).add(eps)).mean();
    }

    /**
     * The diffusion regularizer: the mean over pixels of |∇u|² (squared Frobenius norm of the displacement's
     * gradient, forward differences, pixel units), summed over the spatial directions (each averaged over the pixels
     * where its difference exists). An affine displacement u(p) = Ap gives |A|²_F. Spatial sizes at least 2.
     */
    public static Tensor smoothness(Tensor displacement) {
        int s = checkField("smoothness", "displacement", displacement);
        atLeast("smoothness", displacement, 2);
        Tensor pix = toPixels(displacement);
        Tensor total = null;
        for (int d = 1; d <= s; d++) {
            int n = pix.size(d);
            Tensor diff = pix.narrow(d, 1, n - 1).sub(pix.narrow(d, 0, n - 1));
            Tensor term = diff.mul(diff).sum(-1, false).mean();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /**
     * The bending energy: the mean over interior pixels of Σ_k (Σ_l (∂²u_k/∂p_l²)² + 2 Σ_{l&lt;m} (∂²u_k/∂p_l∂p_m)²),
     * second central differences in pixel units. Zero for affine displacements; penalizes curvature, not stretch.
     * Spatial sizes at least 3.
     */
    public static Tensor bendingEnergy(Tensor displacement) {
        int s = checkField("bendingEnergy", "displacement", displacement);
        atLeast("bendingEnergy", displacement, 3);
        Tensor pix = toPixels(displacement);
        Tensor total = null;
        for (int d = 1; d <= s; d++) {
            int n = pix.size(d);
            Tensor second = pix.narrow(d, 2, n - 2).sub(pix.narrow(d, 1, n - 2).mul(2)).add(pix.narrow(d, 0, n - 2));
            Tensor term = interior(second, s, d, -1).pow(2);
            total = total == null ? term : total.add(term);
            for (int e = d + 1; e <= s; e++) {
                Tensor mixed = central(central(pix, d), e);
                total = total.add(interior(mixed, s, d, e).pow(2).mul(2));
            }
        }
        return total.sum(-1, false).mean();
    }

    // ---- helpers

    /** Checks a displacement-like field [b, spatial..., s], s = 2 or 3; returns s. */
    static int checkField(String op, String name, Tensor u) {
        if (u == null) throw new IllegalArgumentException("Registration." + op + ": " + name + " is null");
        int s = u.dim() - 2;
        if ((s != 2 && s != 3) || u.size(-1) != s || !u.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Registration." + op + ": " + name + " of shape " + Arrays.toString(u.shape()) + " ("
                    + u.dtype() + ") must be a float field [b, h, w, 2] or [b, d, h, w, 3]");
        }
        return s;
    }

    private static void checkPair(String op, Tensor a, Tensor b, int minDims) {
        if (a == null || b == null) throw new IllegalArgumentException("Registration." + op + ": " + (a == null ? "a" : "b") + " is null");
        if (!Arrays.equals(a.shape(), b.shape()) || a.dim() < minDims || a.dtype() != b.dtype() || !a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Registration." + op + ": a of shape " + Arrays.toString(a.shape()) + " (" + a.dtype()
                    + ") and b of shape " + Arrays.toString(b.shape()) + " (" + b.dtype() + ") must be float tensors of equal shape and dtype with "
                    + (minDims == 2 ? "a batch dim first" : "shape [b, c, spatial...]"));
        }
    }

    private static void atLeast(String op, Tensor u, int min) {
        for (int d = 1; d < u.dim() - 1; d++) {
            if (u.size(d) < min) {
                throw new IllegalArgumentException("Registration." + op + ": displacement of shape " + Arrays.toString(u.shape())
                        + " needs every spatial size >= " + min);
            }
        }
    }

    static int[] spatial(Tensor u) {
        return Arrays.copyOfRange(u.shape(), 1, u.dim() - 1);
    }

    /** The identity map's coordinates, [1, spatial..., s]. */
    static Tensor identity(int[] spatial, DType dtype) {
        int[] shape = new int[spatial.length + 2];
        shape[0] = 1;
        System.arraycopy(spatial, 0, shape, 1, spatial.length);
        shape[shape.length - 1] = spatial.length;
        return Grids.coordinates(dtype, spatial).reshape(shape);
    }

    /** The field in pixel units: component k times (n − 1)/2 of spatial dim s−1−k. */
    static Tensor toPixels(Tensor u) {
        int[] sp = spatial(u);
        int s = sp.length;
        double[] scale = new double[s];
        for (int k = 0; k < s; k++) scale[k] = (sp[s - 1 - k] - 1) / 2.0;
        return u.mul(Tensor.of(scale).to(u.dtype()));
    }

    /** [b, spatial..., s] as an image [b, s, spatial...]. */
    static Tensor toImage(Tensor u) {
        int r = u.dim();
        int[] perm = new int[r];
        perm[1] = r - 1;
        for (int d = 2; d < r; d++) perm[d] = d - 1;
        return u.permute(perm);
    }

    /** An image [b, s, spatial...] as a field [b, spatial..., s]. */
    static Tensor fromImage(Tensor x) {
        int r = x.dim();
        int[] perm = new int[r];
        for (int d = 1; d < r - 1; d++) perm[d] = d + 1;
        perm[r - 1] = 1;
        return x.permute(perm);
    }

    /** numpy.gradient along {@code dim} (unit spacing): central inside, one-sided at both ends; size >= 2. */
    private static Tensor gradient(Tensor t, int dim) {
        int n = t.size(dim);
        Tensor first = t.narrow(dim, 1, 1).sub(t.narrow(dim, 0, 1));
        Tensor last = t.narrow(dim, n - 1, 1).sub(t.narrow(dim, n - 2, 1));
        if (n == 2) return Tensor.cat(List.of(first, last), dim);
        return Tensor.cat(List.of(first, central(t, dim), last), dim);
    }

    /** Central differences along {@code dim} at positions 1 … n−2. */
    private static Tensor central(Tensor t, int dim) {
        int n = t.size(dim);
        return t.narrow(dim, 2, n - 2).sub(t.narrow(dim, 0, n - 2)).div(2);
    }

    /** Crops every spatial dim 1..s except {@code done1} and {@code done2} (already interior) to 1 … n−2. */
    private static Tensor interior(Tensor t, int s, int done1, int done2) {
        for (int d = 1; d <= s; d++) if (d != done1 && d != done2) t = t.narrow(d, 1, t.size(d) - 2);
        return t;
    }

    /** Sums of {@code window} consecutive entries along {@code dim} ('valid': n − window + 1 of them). */
    private static Tensor boxSum(Tensor t, int dim, int window) {
        int m = t.size(dim) - window + 1;
        Tensor sum = t.narrow(dim, 0, m);
        for (int j = 1; j < window; j++) sum = sum.add(t.narrow(dim, j, m));
        return sum;
    }
}
