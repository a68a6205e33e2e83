package callisto.pde;

import callisto.display.Progress;
import callisto.sparse.Solvers;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;
import java.util.ArrayList;

/**
 * Darcy flow data sets, the benchmark of the FNO and MgNO papers: −∇·(a∇u) = f with u = 0 on the boundary and
 * a piecewise-constant permeability a: 12 where a Gaussian random field N(0, (−Δ + 9)^−2) with zero Neumann
 * boundaries is positive and 3 elsewhere, f = 1.
 *
 * <p>2-D on the n×n nodes of the unit square ({@link Elliptic#darcy}); 1-D on n nodes of [0, 1], −(a u′)′ = f,
 * by one tridiagonal solve per sample (milliseconds for a thousand samples).
 */
public final class Darcy {
    /** Coefficients a and solutions u, [samples, n, n] (2-D) or [samples, n] (1-D), float32. */
    public record Dataset(Tensor a, Tensor u) {
    }

    private Darcy() {
    }

    /** FNO's thresholding: 12 where the field is >= 0, 3 where it is negative. */
    public static Tensor threshold(Tensor field) {
        return Tensor.where(field.ge(0), Tensor.full(12.0, field.shape()), Tensor.full(3.0, field.shape()));
    }

    /** {@code samples} 2-D problems on n×n nodes, with a progress bar. */
    public static Dataset generate(Generator gen, int samples, int n) {
        if (samples < 1 || n < 3) throw new IllegalArgumentException("Darcy.generate: need samples >= 1 and n >= 3, got " + samples + ", " + n);
        Tensor a = threshold(GaussianRandomField.darcy().sampleNeumann(gen, samples, n, n));
        var u = new ArrayList<Tensor>();
        try (var bar = Progress.bar(samples, "Darcy")) {
            for (int s = 0; s < samples; s++) {
                Tensor ai = a.select(0, s);
                u.add(Elliptic.darcy(ai, Tensor.onesLike(ai)));
                bar.step();
            }
        }
        return new Dataset(a.to(DType.FLOAT32), Tensor.stack(u, 0).to(DType.FLOAT32));
    }

    /** {@code samples} 1-D problems −(a u′)′ = 1 on n nodes of [0, 1], u(0) = u(1) = 0. */
    public static Dataset generate1d(Generator gen, int samples, int n) {
        if (samples < 1 || n < 3) throw new IllegalArgumentException("Darcy.generate1d: need samples >= 1 and n >= 3, got " + samples + ", " + n);
        Tensor a = threshold(GaussianRandomField.darcy().sampleNeumann(gen, samples, n));
        return new Dataset(a.to(DType.FLOAT32), solve1d(a, Tensor.onesLike(a)).to(DType.FLOAT32));
    }

    /**
     * −(a u′)′ = f on the nodes x_j = j/(n−1) of [0, 1] with u(0) = u(1) = 0, for a > 0 and f [batch, n] (or [n]),
     * by second-order finite differences (harmonic-mean face coefficients) and one batched tridiagonal solve.
     */
    public static Tensor solve1d(Tensor a, Tensor f) {
        if (!java.util.Arrays.equals(a.shape(), f.shape()) || a.dim() < 1 || a.dim() > 2 || a.size(-1) < 3) {
            throw new IllegalArgumentException("Darcy.solve1d: a and f must have one shape [batch, n] or [n] with n >= 3; got "
                    + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(f.shape()));
        }
        if (!(a.min().item() > 0)) throw new IllegalArgumentException("Darcy.solve1d: the coefficient a must be positive; its minimum is " + a.min().item());
        int n = a.size(-1), m = n - 2;
        double h2 = 1.0 / ((n - 1.0) * (n - 1.0));
        Tensor a64 = a.to(DType.FLOAT64);
        Tensor left = a64.narrow(-1, 0, n - 1), right = a64.narrow(-1, 1, n - 1);
        Tensor faces = left.mul(right).mul(2).div(left.add(right));               // [.., n-1]: between node j and j+1
        Tensor west = faces.narrow(-1, 0, m), east = faces.narrow(-1, 1, m);      // around interior nodes 1..n-2
        Tensor diag = west.add(east).div(h2);
        Tensor off = faces.narrow(-1, 1, m - 1).neg().div(h2);
        Tensor rhs = f.to(DType.FLOAT64).narrow(-1, 1, m);
        Tensor inner = Solvers.tridiagonalSolve(off, diag, off, rhs);
        Tensor zero = Tensor.zeros(shapeWithLast(a, 1));
        return Tensor.cat(java.util.List.of(zero, inner, zero), -1).to(f.dtype());
    }

    private static int[] shapeWithLast(Tensor t, int last) {
        int[] s = t.shape().clone();
        s[s.length - 1] = last;
        return s;
    }
}
