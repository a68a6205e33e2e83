package callisto.fields;

import callisto.nn.Module;
import callisto.tensor.DType;
import callisto.tensor.Tensor;

import java.util.Arrays;

/**
 * A cubic B-spline free-form deformation (Rueckert et al. 1999), the classical parametric model of deformable
 * registration: a regular grid of control points, each holding a 2-D displacement, whose tensor-product cubic
 * B-spline interpolation is the displacement field. The control grid (parameter {@code "control"},
 * [controlH, controlW, 2], zeros at first: the identity map) is optimized directly, e.g. with
 * {@link callisto.optim.Lbfgs}, under a registration loss. Displacements are in the normalized units of
 * {@link Registration} (components x, y), so {@link #displacement} goes straight into {@link Registration#warp}.
 *
 * <p>Layout: along an axis with n control points the inner n − 2 sit evenly on [−1, 1] (the first and last
 * pixel centres, aligned corners), spacing δ = 2/(n − 3), and one more sits outside each end, so every point of
 * [−1, 1] has its four supporting control points. Control j is at −1 + (j − 1)δ; a point x gets weight
 * B((x + 1)/δ + 1 − j) from control j, with B the centred cubic B-spline (2/3 − s² + |s|³/2 for |s| &lt; 1,
 * (2 − |s|)³/6 for 1 ≤ |s| &lt; 2, else 0). On [−1, 1] the weights sum to 1 and control values on a line
 * reproduce that line exactly, so constant and affine displacements are represented without error.
 *
 * <pre>{@code
 * var ffd = BSplineFFD.withSpacing(64, 64, 6, DType.FLOAT32);      // a control point every 6 pixels
 * var lbfgs = new Lbfgs(ffd.namedParameters(), Lbfgs.Options.defaults().withStrongWolfe(true));
 * lbfgs.step(() -> { ffd.zeroGrad(); Tensor u = ffd.displacement(64, 64);
 *     Tensor loss = Registration.ncc(Registration.warp(moving, u), fixed).neg().add(Registration.smoothness(u).mul(0.01));
 *     loss.backward(); return loss; });
 * }</pre>
 */
public final class BSplineFFD extends Module {
    private final int controlH, controlW;

    /**
     * A control grid of {@code controlH} × {@code controlW} points (each at least 4: two inside [−1, 1] and the outer
     * ring) in {@code dtype}, all displacements zero.
     */
    public BSplineFFD(int controlH, int controlW, DType dtype) {
        if (controlH < 4 || controlW < 4) {
            throw new IllegalArgumentException("BSplineFFD: control grid " + controlH + " x " + controlW + " must be at least 4 x 4");
        }
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("BSplineFFD: dtype " + dtype + " must be FLOAT32 or FLOAT64");
        }
        this.controlH = controlH;
        this.controlW = controlW;
        registerParameter("control", Tensor.zeros(dtype, controlH, controlW, 2));
    }

    /**
     * A control grid for an h × w image with control points at most {@code spacing} pixels apart: per axis of size n,
     * ⌈(n − 1)/spacing⌉ + 1 points on the image (the actual spacing is (n − 1) divided by one less than that) and
     * the outer ring.
     */
    public static BSplineFFD withSpacing(int h, int w, double spacing, DType dtype) {
        if (h < 2 || w < 2) throw new IllegalArgumentException("BSplineFFD.withSpacing: image " + h + " x " + w + " must be at least 2 x 2");
        if (!(spacing > 0) || Double.isInfinite(spacing)) {
            throw new IllegalArgumentException("BSplineFFD.withSpacing: spacing " + spacing + " must be positive and finite (pixels)");
        }
        return new BSplineFFD(count(h, spacing), count(w, spacing), dtype);
    }

    private static int count(int n, double spacing) {
        return Math.max(1, (int) Math.ceil((n - 1) / spacing - 1e-9)) + 3;
    }

    /** The control displacements, [controlH, controlW, 2] (normalized units, components x, y). */
    public Tensor control() {
        return parameter("control");
    }

    public int controlH() {
        return controlH;
    }

    public int controlW() {
        return controlW;
    }

    /**
     * The displacement at points {@code coords} [n, 2] (x, y in [−1, 1], as {@link Grids#coordinates}): [n, 2].
     * Differentiable in the control points and in the coordinates (the spline is C² in both).
     */
    @Override
    public Tensor forward(Tensor coords) {
        if (coords == null || coords.dim() != 2 || coords.size(1) != 2 || coords.dtype() != control().dtype()) {
            throw new IllegalArgumentException("BSplineFFD.forward: coords " + (coords == null ? "null" : "of shape "
                    + Arrays.toString(coords.shape()) + " (" + coords.dtype() + ")") + " must be [n, 2] in " + control().dtype());
        }
        int n = coords.size(0);
        Tensor bx = weights(coords.select(1, 0), controlW); // [n, controlW]
        Tensor by = weights(coords.select(1, 1), controlH); // [n, controlH]
        // Σ_a Σ_b by[n, a] bx[n, b] c[a, b, :]: first contract rows, then weight the columns
        Tensor rows = by.matmul(control().reshape(controlH, controlW * 2)).reshape(n, controlW, 2);
        return rows.mul(bx.unsqueeze(2)).sum(1, false);
    }

    /**
     * The displacement on the aligned-corner grid of an h × w image, [1, h, w, 2] in normalized units, ready for
     * {@link Registration#warp}: separable, two small matrix products.
     */
    public Tensor displacement(int h, int w) {
        if (h < 1 || w < 1) throw new IllegalArgumentException("BSplineFFD.displacement: size " + h + " x " + w + " must be positive");
        return onGrid(control(), h, w);
    }

    /** The spline of control points {@code control} [ch, cw, 2] on an h × w grid, [1, h, w, 2]. */
    static Tensor onGrid(Tensor control, int h, int w) {
        DType dtype = control.dtype();
        Tensor by = weights(Grids.coordinates(dtype, h).reshape(h), control.size(0)); // [h, ch]
        Tensor bx = weights(Grids.coordinates(dtype, w).reshape(w), control.size(1)); // [w, cw]
        Tensor field = by.matmul(control.permute(2, 0, 1)).matmul(bx.transpose(0, 1)); // [2, h, w]
        return field.permute(1, 2, 0).unsqueeze(0);
    }

    /**
     * The B-spline weights [m, n] of n control points along one axis at m positions {@code x} [m] in [−1, 1]: row i
     * holds B((x_i + 1)/δ + 1 − j), j = 0 … n − 1. Written with relu so it is differentiable in x (the two kinks at
     * s = 0 cancel).
     */
    static Tensor weights(Tensor x, int n) {
        double delta = 2.0 / (n - 3);
        Tensor t = x.add(1).div(delta).add(1).unsqueeze(1); // [m, 1]
        double[] j = new double[n];
        for (int k = 0; k < n; k++) j[k] = k;
        Tensor s = t.sub(Tensor.of(j).to(x.dtype()).unsqueeze(0)).abs(); // [m, n]
        Tensor outer = s.neg().add(2).relu().pow(3).div(6);
        Tensor inner = s.neg().add(1).relu().pow(3).mul(4.0 / 6);
        return outer.sub(inner);
    }

    @Override
    protected String extraRepr() {
        return "control=" + controlH + "x" + controlW;
    }
}
